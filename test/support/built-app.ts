import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import request from 'supertest';
import { closedPort } from '../terminal/support/terminal-gateway';
import { eventually } from './infra';

const ROOT = resolve(__dirname, '..', '..');

/** `npm run build`: the production output in dist/ (incremental, so a second run is quick). */
export function buildOnce(): void {
  execFileSync(
    process.execPath,
    [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', resolve(ROOT, 'tsconfig.build.json')],
    { cwd: ROOT, stdio: 'inherit' },
  );
}

export interface BuiltApp {
  child: ChildProcess;
  url: string;
  /** Parsed JSON log lines of stdout so far. */
  logs: { message?: unknown }[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node dist/apps/<app>/main.js` on a free port, with this run's Kafka and database unless overridden. */
export async function startBuiltApp(
  app: string,
  portVariable: string,
  env: Record<string, string> = {},
): Promise<BuiltApp> {
  const port = await closedPort();
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/apps', app, 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, [portVariable]: String(port), LOG_LEVEL: 'log', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: BuiltApp['logs'] = [];
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ message: line });
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, url: `http://127.0.0.1:${port}`, logs, exited };
}

/** How a built app ended: its exit code and everything it wrote to stderr. */
export interface BootFailure {
  code: number | null;
  stderr: string;
}

/**
 * Runs `node dist/apps/<app>/main.js` until it exits by itself, as an app that cannot boot does;
 * a variable set to undefined in `env` is removed from this run's environment.
 */
export function runUntilExit(
  app: string,
  env: Record<string, string | undefined>,
  timeoutMs = 60000,
): Promise<BootFailure> {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/apps', app, 'main.js')], {
    cwd: ROOT,
    env: merged,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((done) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    }),
  );
}

/** The status of a probe; 0 while nothing listens. */
export async function probe(url: string, path: string): Promise<number> {
  try {
    return (await request(url).get(path).timeout(3000)).status;
  } catch {
    return 0;
  }
}

export function untilReady(app: BuiltApp, timeoutMs = 60000): Promise<number> {
  return eventually(
    () => probe(app.url, '/health/ready'),
    (status) => status === 200,
    timeoutMs,
    250,
  );
}

/** Stops the app if a test left it running. */
export async function stopBuiltApp(app: BuiltApp | undefined): Promise<void> {
  if (!app || app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGKILL');
  await app.exited;
}
