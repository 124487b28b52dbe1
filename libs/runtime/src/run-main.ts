/**
 * The line a failure that ends the process writes: the error's name, message and stack, and
 * nothing else it carries (a TypeORM QueryFailedError carries its query and parameters, a
 * PostgreSQL error the row's values in `detail`).
 */
function fatalLine(context: string, origin: string, error: unknown): string {
  const { name, message, stack } =
    error instanceof Error
      ? error
      : { name: typeof error, message: String(error), stack: undefined };
  return `${JSON.stringify({ level: 'fatal', context, origin, name, message, stack })}\n`;
}

/**
 * Starts an app from its entry file; a failure to boot, thrown at once (an invalid configuration)
 * or later, is one JSON line on stderr and exit code 1. So is an error nothing handled (a thrown
 * exception or a rejected promise), at any time: the process exits at once, without draining,
 * and the orchestrator starts it again.
 */
export function runMain(name: string, start: () => Promise<unknown>): void {
  process.on('uncaughtException', (error, origin) => {
    process.stderr.write(fatalLine(name, origin, error));
    process.exit(1);
  });
  Promise.resolve()
    .then(start)
    .catch((error: Error) => {
      process.stderr.write(
        `${JSON.stringify({ level: 'fatal', context: name, message: error.message ?? String(error) })}\n`,
      );
      process.exit(1);
    });
}
