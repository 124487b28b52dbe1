import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

/** `npm run ctl -- …` as an operator runs it: a separate process, JSON on stdout. */
export function ctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [resolve(ROOT, 'scripts/run-ts.js'), 'apps/ctl/src/main.ts', ...args],
      { cwd: ROOT, env: process.env },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
