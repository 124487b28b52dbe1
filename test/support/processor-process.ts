import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** The reading-processor as a separate OS process, so a test can kill it without warning. */
export function spawnProcessor(env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    [resolve(ROOT, 'scripts/run-ts.js'), 'apps/reading-processor/src/main.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, READING_PROCESSOR_PORT: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

export function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) =>
    child.exitCode !== null || child.signalCode !== null
      ? done()
      : child.once('exit', () => done()),
  );
}
