import { KIOSK_PATHS, signKioskRequest } from '@gw/contracts';
import { migrate } from '@gw/persistence';
import { DEVELOPMENT_SECRETS, generateSecret, SecretBox } from '@gw/platform';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { CredentialRepository } from '../apps/ctl/src/persistence/credential.repository';
import {
  dropDatabase,
  ensureDatabase,
  ensureKafka,
  ROOT,
  stopEmbeddedPostgres,
  stopKafka,
} from '../scripts/local-env';

/** What the benches share: the apps as child processes, kiosks and their signed requests. */

export const benchLog = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

export interface Kiosk {
  kioskId: string;
  secret: string;
}

/** An app of this repo as a child process on its TypeScript entry point, quiet but for errors. */
export function startApp(entry: string, env: Record<string, string>): ChildProcess {
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each app to <dir> when it stops.
  const profile = process.env.BENCH_CPU_PROF
    ? [`--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, '--cpu-prof']
    : [];
  return spawn(process.execPath, [...profile, join(ROOT, 'scripts/run-ts.js'), entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'error', KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export interface Answer {
  status: number;
  /** The response's body, when asked for; otherwise it is read and dropped. */
  body: string;
}

export function post(
  agent: Agent,
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string,
  keepBody = false,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: '127.0.0.1', port, method: 'POST', path, headers },
      (res) => {
        let text = '';
        if (keepBody) res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        else res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Waits until `path` answers at all, or with 200 when `ok` (a readiness probe). */
export async function waitUntilUp(port: number, path: string, ok = false): Promise<void> {
  const agent = new Agent();
  for (let i = 0; i < 480; i += 1) {
    const up = await new Promise<boolean>((resolve) => {
      const req = request({ agent, host: '127.0.0.1', port, method: 'GET', path }, (res) => {
        res.resume();
        resolve(ok ? res.statusCode === 200 : res.statusCode !== undefined);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`nothing answers ${ok ? '200 ' : ''}on port ${port}${path}`);
}

/** `count` kiosks with new secrets, sealed with the development key the gateway opens them with. */
export async function registerKiosks(db: DataSource, count: number): Promise<Kiosk[]> {
  const box = SecretBox.of(DEVELOPMENT_SECRETS.KIOSK_SECRET_KEY);
  const repository = new CredentialRepository(db);
  const kiosks: Kiosk[] = [];
  for (let i = 0; i < count; i += 1) {
    const kiosk = { kioskId: `K-BENCH-${i}`, secret: generateSecret(32) };
    await repository.saveKioskSecret(kiosk.kioskId, box.seal(kiosk.secret, kiosk.kioskId));
    kiosks.push(kiosk);
  }
  return kiosks;
}

/** The headers of a kiosk batch POST, signed by `kiosk` now. */
export function signedKioskHeaders(kiosk: Kiosk, body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(12).toString('hex');
  const signature = signKioskRequest(kiosk.secret, {
    timestamp,
    nonce,
    method: 'POST',
    path: KIOSK_PATHS.readings,
    body,
  });
  return {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Kiosk-Id': kiosk.kioskId,
    'X-Timestamp': timestamp,
    'X-Nonce': nonce,
    'X-Signature': signature,
  };
}

/** The kiosk-gateway's settings for a bench: the per-kiosk and per-client throttles lifted. */
export const UNTHROTTLED_KIOSK_GATEWAY = {
  KIOSK_RATE_LIMIT_PER_SECOND: '100000',
  KIOSK_RATE_LIMIT_BURST: '100000',
  CLIENT_RATE_LIMIT_PER_SECOND: '1000000',
  CLIENT_RATE_LIMIT_BURST: '1000000',
};

/** The value at quantile `q` of ascending `sorted` values (NaN when there are none). */
export const quantile = (sorted: ArrayLike<number>, q: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

export interface LocalEnv {
  /** Kafka's brokers, comma-separated (empty when the bench asked for no Kafka). */
  kafka: string;
  databaseUrl: string;
}

/**
 * Kafka and a fresh, migrated database `name` for one run of a bench; afterwards, whatever
 * happened, the database is dropped and what was started for the run is stopped.
 */
export async function withLocalEnv<T>(
  name: string,
  work: (env: LocalEnv) => Promise<T>,
  { kafka: withKafka = true } = {},
): Promise<T> {
  const kafka = withKafka ? await ensureKafka() : { value: '', started: false };
  const database = await ensureDatabase(name, { fresh: true });
  try {
    await migrate(database.value);
    return await work({ kafka: kafka.value, databaseUrl: database.value });
  } finally {
    await dropDatabase(database.value);
    if (database.started) await stopEmbeddedPostgres();
    if (kafka.started) stopKafka();
  }
}

/** Runs a bench's main function; a failure is printed and exits with 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

/** The unit of CPU times in /proc (`USER_HZ`, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time a process has used so far, in seconds (Linux /proc; NaN elsewhere). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/**
 * Watches the CPU time PostgreSQL's backends spend on `databaseUrl`'s database from now on,
 * sampling their /proc entries every 500 ms; `stop()` answers the seconds spent since the
 * watch began (a backend that ended between samples loses its last half second). On a
 * shared host it is a steadier figure than wall time.
 */
export async function watchDatabaseCpu(databaseUrl: string): Promise<{ stop(): Promise<number> }> {
  const monitor = new Client({ connectionString: databaseUrl });
  await monitor.connect();
  const database = new URL(databaseUrl).pathname.slice(1);
  const start = new Map<number, number>();
  const latest = new Map<number, number>();
  const sample = async (into: Map<number, number>) => {
    const { rows } = await monitor.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    );
    for (const { pid } of rows as { pid: number }[]) {
      const cpu = processCpuSeconds(pid);
      if (!Number.isNaN(cpu)) into.set(pid, cpu);
    }
  };
  await sample(start);
  const timer = setInterval(() => void sample(latest).catch(() => undefined), 500);
  return {
    async stop() {
      clearInterval(timer);
      await sample(latest).catch(() => undefined);
      await monitor.end();
      let total = 0;
      for (const [pid, cpu] of latest) total += cpu - (start.get(pid) ?? 0);
      return total;
    },
  };
}

/** Seconds the machine's cores spent busy so far, all together (/proc/stat: all but idle and iowait). */
export function machineBusySeconds(): number {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND;
}

/** The pids of this machine's Kafka brokers: the processes whose command line runs kafka.Kafka. */
export function kafkaBrokerPids(): number[] {
  const runsKafka = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
    } catch {
      return false;
    }
  };
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && runsKafka(entry))
    .map(Number);
}

/**
 * Where a run's CPU goes: from now until `stop()`, the CPU seconds of the given apps' processes,
 * of PostgreSQL's backends on `databaseUrl`'s database, of the Kafka brokers, of this process (the
 * bench's own clients), and the machine's busy core-seconds, against its cores × the wall time.
 */
export async function watchRunCpu(databaseUrl: string, apps: Record<string, number[]>) {
  const brokers = kafkaBrokerPids();
  const sum = (pids: number[]) => pids.reduce((total, pid) => total + processCpuSeconds(pid), 0);
  const take = (): Record<string, number> => ({
    ...Object.fromEntries(Object.entries(apps).map(([name, pids]) => [name, sum(pids)])),
    Kafka: sum(brokers),
    bench: processCpuSeconds(process.pid),
    machine: machineBusySeconds(),
    wall: Date.now() / 1000,
  });
  const database = await watchDatabaseCpu(databaseUrl);
  const start = take();
  return {
    /** The figures, and a line that says them. */
    async stop(): Promise<{ seconds: Record<string, number>; line: string }> {
      const end = take();
      const spent = (name: string) => end[name] - start[name];
      const seconds: Record<string, number> = {
        ...Object.fromEntries(Object.keys(apps).map((name) => [name, spent(name)])),
        PostgreSQL: await database.stop(),
        Kafka: spent('Kafka'),
        bench: spent('bench'),
      };
      const capacity = cpus().length * spent('wall');
      const busy = spent('machine');
      const each = Object.entries(seconds).map(([name, value]) => `${name} ${value.toFixed(1)} s`);
      const line = `${each.join(', ')}; machine busy ${busy.toFixed(1)} of ${capacity.toFixed(1)} core-seconds (${((100 * busy) / capacity).toFixed(0)}%)`;
      return { seconds: { ...seconds, machine: busy }, line };
    },
  };
}
