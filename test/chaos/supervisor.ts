import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Polls `probe` until it is true; the time it took, or null after `timeoutMs`. */
export async function timeUntil(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await probe().catch(() => false)) return Date.now() - started;
    await sleep(intervalMs);
  }
  return null;
}

/** One start of an app: why it was started and how long it took to become ready. */
export interface AppStart {
  app: string;
  reason: 'boot' | 'fault' | 'exited';
  /** Until `/health/live` answered: the process is up and serving HTTP. */
  liveMs: number | null;
  readyMs: number | null;
  /** The checks still down at the last probe before it became ready (or gave up). */
  lastDown: string[];
}

/**
 * One app as a child process, built as `npm start` runs it (`dist/apps/<app>/src/main.js`: a start
 * takes seconds instead of the half minute ts-node needs on a busy machine), under a supervisor
 * that starts it again when it exits, as systemd or Kubernetes would. Its output goes to a file.
 */
export class SupervisedApp {
  readonly starts: AppStart[] = [];
  /** Exits the test did not cause (an app giving up on a dependency), with their code. */
  readonly unplannedExits: string[] = [];
  private child?: ChildProcess;
  private stopped = false;
  private killedOnPurpose = false;
  private restarted?: Promise<AppStart>;

  constructor(
    readonly name: string,
    private readonly app: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logDir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the app and resolves once it is ready (or after 90 s, recorded as never). */
  async start(reason: AppStart['reason'] = 'boot'): Promise<AppStart> {
    const log = openSync(join(this.logDir, `${this.name}.log`), 'a');
    const child = spawn(
      process.execPath,
      ['-r', 'tsconfig-paths/register', join(ROOT, 'dist/apps', this.app, 'src/main.js')],
      {
        cwd: ROOT,
        env: { ...process.env, TS_NODE_BASEURL: join(ROOT, 'dist'), ...this.env },
        stdio: ['ignore', log, log],
      },
    );
    closeSync(log);
    this.child = child;
    child.once('exit', (code, signal) => {
      if (this.stopped) return;
      const planned = this.killedOnPurpose;
      this.killedOnPurpose = false;
      if (!planned) this.unplannedExits.push(`${this.name}: ${signal ?? code}`);
      // A supervisor restarts after a short pause, so a crash loop does not spin.
      this.restarted = sleep(1000).then(() => this.start(planned ? 'fault' : 'exited'));
    });
    const start: AppStart = { app: this.name, reason, liveMs: null, readyMs: null, lastDown: [] };
    this.starts.push(start);
    const began = Date.now();
    start.readyMs = await timeUntil(async () => {
      const res = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(3000) });
      start.liveMs ??= Date.now() - began;
      if (res.status === 200) return true;
      const { checks } = (await res.json()) as { checks: Record<string, string> };
      start.lastDown = Object.keys(checks).filter((name) => checks[name] !== 'up');
      return false;
    }, 90000);
    return start;
  }

  /** SIGKILL, then the supervisor's restart; resolves with that restart once it is ready. */
  async kill(): Promise<AppStart> {
    const child = this.child as ChildProcess;
    this.killedOnPurpose = true;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
    return this.restarted as Promise<AppStart>;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    await exited;
    clearTimeout(timer);
  }
}
