import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

const isJson = (line: string) => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};

/** Runs the entry file through ts-node until it exits by itself: its exit code and its stderr. */
function runUntilExit(file: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [resolve(ROOT, 'scripts/run-ts.js'), file], {
    cwd: ROOT,
    env: { ...process.env, TERMINAL_GATEWAY_PORT: '0', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((done) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    }),
  );
}

describe('an error nothing handled in a running app', () => {
  it("is one JSON line with the error's name, message and stack, never its query or parameters, and exit code 1", async () => {
    const { code, stderr } = await runUntilExit('test/runtime/support/rejecting-app.ts');
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter((line) => line.length > 0);
    expect(lines.filter((line) => !isJson(line))).toEqual([]);
    const fatal = lines.map((line) => JSON.parse(line)).filter((line) => line.level === 'fatal');
    expect(fatal).toEqual([
      {
        level: 'fatal',
        context: 'terminal-gateway',
        origin: 'unhandledRejection',
        name: 'QueryFailedError',
        message: 'duplicate key value violates unique constraint',
        stack: expect.stringMatching(/^QueryFailedError: duplicate key value/),
      },
    ]);
    expect(stderr).not.toMatch(/SECRET|T-REJECTING|password_hash/);
  });
});
