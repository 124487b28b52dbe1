/** Starts an app from its entry file; a failure to boot is one JSON line and exit code 1. */
export function runMain(name: string, start: () => Promise<unknown>): void {
  start().catch((error: Error) => {
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', context: name, message: error.message ?? String(error) })}\n`,
    );
    process.exit(1);
  });
}
