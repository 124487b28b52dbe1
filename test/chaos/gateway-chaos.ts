import { TOPICS } from '@gw/contracts';
import { REGISTRY_COLUMNS } from '@gw/domain';
import { createKafka } from '@gw/messaging';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort, portOpen } from '../../scripts/local-env';
import { registryRecord } from '../support/factories';
import { ChaosKafkaCluster } from './kafka-cluster';
import { type ChaosMeter, Ledger, runKiosk, runTerminal } from './load';
import { ChaosPostgres } from './postgres-server';
import { sleep, SupervisedApp, timeUntil } from './supervisor';

/**
 * `npm run test:chaos`: steady signed load from kiosks and terminals through two kiosk-gateways, a
 * terminal-gateway and two reading-processors in one group, on a three-node Kafka cluster
 * (replication 3, min ISR 2) and a PostgreSQL server of its own, while brokers, apps and the
 * database are killed and stalled. Afterwards every acknowledged submission must be stored exactly
 * once and have an outcome; the exit code says whether it was.
 */

const ROOT = resolve(__dirname, '..', '..');
const KIOSKS = 4;
const KIOSK_BATCH = 10;
const KIOSK_INTERVAL_MS = 400;
const TERMINALS = 2;
const TERMINAL_INTERVAL_MS = 200;
const PARTITIONS = 6;
const READY_WITHIN_MS = 30000;
const DECIDING_WITHIN_MS = 10000;
const DATABASE = 'meter_gateway_chaos';

const log = (line: string) => process.stdout.write(`chaos: ${line}\n`);

/** A base port whose broker (base+n) and controller (base+100+n) ports are all free. */
async function clusterPortBase(): Promise<number> {
  for (;;) {
    // Below Linux's ephemeral range (32768 and up), where client sockets could take them.
    const base = 20000 + Math.floor(Math.random() * 120) * 100;
    const ports = [1, 2, 3].flatMap((n) => [base + n, base + 100 + n]);
    const taken = await Promise.all(ports.map((p) => portOpen('127.0.0.1', p, 300)));
    if (!taken.some(Boolean)) return base;
  }
}

/** One short-lived connection per question, so a stalled server costs a timeout, not a hang. */
async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: 2000,
    query_timeout: 10000,
  });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The operators' command line, built (`dist/apps/ctl`), with the chaos run's environment. */
async function ctl<T>(...args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-r', 'tsconfig-paths/register', join(ROOT, 'dist/apps/ctl/src/main.js'), ...args],
    { cwd: ROOT, env: { ...process.env, TS_NODE_BASEURL: join(ROOT, 'dist') } },
  );
  return JSON.parse(stdout) as T;
}

/** The registry through `ctl registry import`: 500 cold-water meters on their own accounts. */
async function importRegistry(dir: string): Promise<ChaosMeter[]> {
  const records = Array.from({ length: 500 }, () => registryRecord());
  const csv = join(dir, 'registry.csv');
  writeFileSync(
    csv,
    [
      REGISTRY_COLUMNS.join(';'),
      ...records.map((r) => REGISTRY_COLUMNS.map((c) => r[c] ?? '').join(';')),
    ].join('\n'),
  );
  const imported = await ctl<{ imported: number }>('registry', 'import', csv);
  if (imported.imported !== records.length)
    throw new Error(`registry import: ${JSON.stringify(imported)}`);
  return records.map((r) => ({
    accountNumber: r.account_number as string,
    serial: r.serial as string,
    value: 100,
  }));
}

/**
 * A fresh cluster creates `__consumer_offsets` on the first group request and answers "coordinator
 * loading" for a while; a cluster in service is past that, so the suite waits it out first.
 */
async function coordinatorLoaded(brokers: string, groupId: string): Promise<void> {
  const admin = createKafka(brokers.split(','), 'chaos-setup').admin();
  await admin.connect();
  try {
    const loaded = await timeUntil(async () => {
      await admin.describeGroups([groupId]);
      return true;
    }, 60000);
    if (loaded === null) throw new Error(`the group coordinator of ${groupId} did not load`);
  } finally {
    await admin.disconnect();
  }
}

/** Every submission id published on the outcome topic, read from its beginning. */
/** The submission ids found on a topic, read from its start until every expected one was seen (or 60 s). */
async function idsOn(brokers: string, topic: string, expected: string[]): Promise<Set<string>> {
  const ids = new Set<string>();
  const consumer = createKafka(brokers.split(','), 'chaos-reader').consumer({
    groupId: `chaos-reader-${topic}-${Date.now()}`,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      ids.add((JSON.parse(String(message.value)) as { submissionId: string }).submissionId);
    },
  });
  await timeUntil(async () => expected.every((id) => ids.has(id)), 60000, 1000);
  await consumer.disconnect();
  return ids;
}

/** Names each lost submission: which client was told when, and whether it reached the topic. */
async function reportLost(url: string, brokers: string, acknowledged: string[], ledger: Ledger) {
  const stored = new Set(
    (
      await query<{ id: string }>(
        url,
        'SELECT submission_id::text AS id FROM readings WHERE submission_id = ANY($1::uuid[])',
        [acknowledged],
      )
    ).map((r) => r.id),
  );
  const lost = acknowledged.filter((id) => !stored.has(id)).slice(0, 20);
  const submitted = await idsOn(brokers, TOPICS.submitted, lost);
  for (const id of lost)
    log(
      `lost ${id}: acknowledged to ${ledger.channelOf.get(id)}, ${submitted.has(id) ? 'on' : 'NOT on'} ${TOPICS.submitted}`,
    );
}

async function main(): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-chaos-'));
  const cluster = new ChaosKafkaCluster(dir, await clusterPortBase());
  const postgres = new ChaosPostgres(dir, await freePort());
  const apps: SupervisedApp[] = [];
  let loadRunning = false;
  const cleanUp = async () => {
    loadRunning = false;
    await Promise.all(apps.map((a) => a.stop()));
    await postgres.stop().catch(() => undefined);
    await cluster.reset().catch(() => undefined);
    if (process.env.CHAOS_KEEP_FILES !== '1') rmSync(dir, { recursive: true, force: true });
  };
  // Ctrl-C stops what the run started, as the end of a run does.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  try {
    log(`cluster ${cluster.brokers}, PostgreSQL on ${postgres.port}, files in ${dir}`);
    await Promise.all([cluster.start(), postgres.init(DATABASE)]);
    const url = postgres.url(DATABASE);
    // The apps and ctl below inherit these.
    Object.assign(process.env, {
      KAFKA_BROKERS: cluster.brokers,
      DATABASE_URL: url,
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
      KAFKA_PARTITIONS: String(PARTITIONS),
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      GATEWAY_MODE: 'development',
      // The apps' own logs (files in the run's folder) show where a slow start spent its time.
      LOG_LEVEL: 'log',
    });
    log('building the apps (tsc), as npm start does');
    await promisify(execFile)(process.execPath, [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
    ]);
    await ctl('db', 'migrate');
    const topics = await ctl<{ problems: string[] }>('kafka', 'topics');
    if (topics.problems.length > 0) throw new Error(`topics: ${topics.problems.join('; ')}`);
    const meters = await importRegistry(dir);
    const kiosks = await Promise.all(
      Array.from({ length: KIOSKS }, (_, i) =>
        ctl<{ kioskId: string; secret: string }>('kiosk', 'add', `K-CHAOS-${i + 1}`),
      ),
    );
    const terminals = await Promise.all(
      Array.from({ length: TERMINALS }, (_, i) =>
        ctl<{ terminalId: string; login: string; password: string }>(
          'terminal',
          'add',
          `T-CHAOS-${i + 1}`,
          '--allow-ip',
          '127.0.0.1',
        ),
      ),
    );

    const app = async (name: string, entry: string, portVariable: string, env = {}) => {
      const port = await freePort();
      const env_ = { [portVariable]: String(port), ...env };
      const supervised = new SupervisedApp(name, entry, port, env_, dir);
      apps.push(supervised);
      return supervised;
    };
    const processorEnv = { PROCESSOR_GROUP_ID: 'reading-processor-chaos' };
    const processors = [
      await app('processor-1', 'reading-processor', 'READING_PROCESSOR_PORT', processorEnv),
      await app('processor-2', 'reading-processor', 'READING_PROCESSOR_PORT', processorEnv),
    ];
    const kioskEnv = {
      KIOSK_RATE_LIMIT_PER_SECOND: '100',
      KIOSK_RATE_LIMIT_BURST: '100',
      KIOSK_WORKER_THREADS: '1',
    };
    const kioskGateways = [
      await app('kiosk-gateway-1', 'kiosk-gateway', 'KIOSK_GATEWAY_PORT', kioskEnv),
      await app('kiosk-gateway-2', 'kiosk-gateway', 'KIOSK_GATEWAY_PORT', kioskEnv),
    ];
    const terminalGateway = await app(
      'terminal-gateway',
      'terminal-gateway',
      'TERMINAL_GATEWAY_PORT',
    );
    await coordinatorLoaded(cluster.brokers, processorEnv.PROCESSOR_GROUP_ID);
    const boots = await Promise.all(apps.map((a) => a.start()));
    log(
      `apps ready after ${boots.map((s) => `${s.app} ${s.readyMs ?? `never (waiting for ${s.lastDown.join(', ')})`} ms`).join(', ')}`,
    );
    if (boots.some((s) => s.readyMs === null)) throw new Error('an app did not become ready');

    const ledger = new Ledger();
    loadRunning = true;
    const running = () => loadRunning;
    const startedAt = Date.now();
    const load = [
      ...kiosks.map((kiosk) =>
        runKiosk({
          kiosk,
          gateways: () => kioskGateways.map((g) => g.url),
          meters,
          batchSize: KIOSK_BATCH,
          intervalMs: KIOSK_INTERVAL_MS,
          ledger,
          running,
        }),
      ),
      ...terminals.map((terminal) =>
        runTerminal({
          terminal,
          gateway: () => terminalGateway.url,
          meters,
          intervalMs: TERMINAL_INTERVAL_MS,
          ledger,
          running,
        }),
      ),
    ];

    const decided = async () =>
      Number((await query<{ n: string }>(url, 'SELECT count(*) AS n FROM readings'))[0].n);
    const faults: { fault: string; decidingMs: number | null }[] = [];
    /** After a fault heals: how long until the processors store new decisions again. */
    const healed = async (fault: string) => {
      let before: number | null = null;
      const decidingMs = await timeUntil(async () => {
        const now = await decided();
        before ??= now;
        return now > before;
      }, 60000);
      faults.push({ fault, decidingMs });
      log(`${fault}: deciding again after ${decidingMs} ms`);
    };

    await sleep(15000);
    await cluster.kill(2);
    await sleep(10000);
    await cluster.restart(2);
    await healed('kill -9 broker 2, restart');
    await sleep(10000);
    for (const target of [...processors, kioskGateways[0], terminalGateway]) {
      const restart = await target.kill();
      await healed(`kill -9 ${target.name}, ready again after ${restart.readyMs} ms`);
      await sleep(5000);
    }
    const stalled = postgres.pause();
    await sleep(10000);
    postgres.resume(stalled);
    await healed('SIGSTOP PostgreSQL for 10 s, SIGCONT');
    await sleep(10000);
    await postgres.crash();
    await postgres.start();
    await healed('kill -9 PostgreSQL, restart');
    await sleep(15000);
    loadRunning = false;
    await Promise.all(load);
    const loadSeconds = (Date.now() - startedAt) / 1000;

    // Drain: every acknowledged submission stored, or no progress for a minute.
    const acknowledged = [...ledger.acknowledged];
    const storedCount = async () =>
      Number(
        (
          await query<{ n: string }>(
            url,
            'SELECT count(*) AS n FROM readings WHERE submission_id = ANY($1::uuid[])',
            [acknowledged],
          )
        )[0].n,
      );
    let stored = 0;
    let progressAt = Date.now();
    while (stored < acknowledged.length && Date.now() - progressAt < 60000) {
      const now = await storedCount().catch(() => stored);
      if (now > stored) progressAt = Date.now();
      stored = now;
      if (stored < acknowledged.length) await sleep(1000);
    }
    const doubled = await query<{ submission_id: string }>(
      url,
      'SELECT submission_id FROM readings GROUP BY submission_id HAVING count(*) > 1',
    );
    const outcomes = await idsOn(cluster.brokers, TOPICS.outcomes, acknowledged);

    const lost = acknowledged.length - stored;
    if (lost > 0) await reportLost(url, cluster.brokers, acknowledged, ledger);
    const withoutOutcome = acknowledged.filter((id) => !outcomes.has(id)).length;
    const restarts = apps.flatMap((a) => a.starts.filter((s) => s.reason !== 'boot'));
    const slowReady = restarts.filter((s) => s.readyMs === null || s.readyMs > READY_WITHIN_MS);
    const slowDeciding = faults.filter(
      (f) => f.decidingMs === null || f.decidingMs > DECIDING_WITHIN_MS,
    );
    log(
      `${acknowledged.length} acknowledged, ${lost} lost, ${doubled.length} doubled, ${faults.length} faults injected`,
    );
    log(
      `${ledger.sent} readings sent in ${loadSeconds.toFixed(0)} s (${(ledger.sent / loadSeconds).toFixed(0)}/s); ${withoutOutcome} acknowledged without an outcome`,
    );
    log(`client retries ${JSON.stringify(Object.fromEntries(ledger.retries))}`);
    log(
      `restarts: ${restarts.map((s) => `${s.app} (${s.reason}) live in ${s.liveMs} ms, ready in ${s.readyMs} ms${s.lastDown.length > 0 ? ` (waited for: ${s.lastDown.join(', ')})` : ''}`).join(', ')}`,
    );
    log(
      `exits the test did not cause: ${apps.flatMap((a) => a.unplannedExits).join(', ') || 'none'}`,
    );
    log(
      `unexpected answers: ${ledger.unexpected.length} ${ledger.unexpected.slice(0, 5).join(' | ')}`,
    );
    const failures = [
      lost > 0 && `${lost} acknowledged submissions lost`,
      doubled.length > 0 && `${doubled.length} submissions stored twice`,
      withoutOutcome > 0 && `${withoutOutcome} acknowledged submissions without an outcome`,
      ledger.unexpected.length > 0 && `${ledger.unexpected.length} unexpected answers`,
      slowReady.length > 0 && `not ready within 30 s: ${slowReady.map((s) => s.app).join(', ')}`,
      slowDeciding.length > 0 &&
        `not deciding within 10 s after: ${slowDeciding.map((f) => f.fault).join('; ')}`,
    ].filter(Boolean);
    log(failures.length === 0 ? 'passed' : `FAILED: ${failures.join('; ')}`);
    return failures.length === 0;
  } finally {
    await cleanUp();
  }
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error: Error) => {
    log(`FAILED: ${error.stack ?? error}`);
    process.exit(1);
  },
);
