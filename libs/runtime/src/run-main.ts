/**
 * Starts an app from its entry file; a failure to boot, thrown at once (an invalid configuration)
 * or later, is one JSON line on stderr and exit code 1.
 */
export function runMain(name: string, start: () => Promise<unknown>): void {
  Promise.resolve()
    .then(start)
    .catch((error: Error) => {
      process.stderr.write(
        `${JSON.stringify({ level: 'fatal', context: name, message: error.message ?? String(error) })}\n`,
      );
      process.exit(1);
    });
}
