import { KIOSK_PATHS } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { createKafka, ensureTopics, topicReplication } from '@gw/messaging';
import { dataSourceOptions } from '@gw/persistence';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { DataSource } from 'typeorm';
import { freePorts, localConfig } from '../scripts/local-env';
import {
  benchLog as log,
  type Kiosk,
  type LocalEnv,
  post,
  quantile,
  registerKiosks,
  runBench,
  signedKioskHeaders,
  startApp,
  stopApp,
  UNTHROTTLED_KIOSK_GATEWAY,
  waitUntilUp,
  withLocalEnv,
} from './bench-support';

/**
 * `npm run bench:kiosk`: several connections sign and post batches of 100 readings to the
 * kiosk-gateway for a fixed time, and the same load goes to a bare Node http server that only
 * parses the JSON and produces it with the same producer settings (bench/kiosk-baseline.server.ts),
 * in alternating rounds. Both run as child processes on 127.0.0.1 and produce to a fresh topic,
 * deleted afterwards, so the shared submission topic is untouched.
 */
/** Counted seconds per target, split into alternating rounds so drift on a shared host hits both alike. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const ROUNDS = 3;
const ROUND_SECONDS = SECONDS / ROUNDS;
/**
 * Load before counting, per target. The gateway's throughput climbs for its first 15 to 30 s under
 * load (more code for V8 to optimise, a worker thread, connection pools) where the baseline's is
 * flat after 3 s; counting earlier would measure the warm-up.
 */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const ITEMS = 100;
interface Result {
  readingsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  failures: number;
  /** CPU time per 1000 counted readings: the whole host's, and the server process's own. */
  hostCpuMs: number;
  serverCpuMs: number;
}

/** CPU time used so far by the whole host and by one process, in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number | undefined): { host: number; server: number } {
  const TICK_MS = 10;
  try {
    // cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
    const host = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
    const busy = host.reduce(
      (sum, ticks, i) => (i === 3 || i === 4 ? sum : sum + Number(ticks)),
      0,
    );
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { host: busy * TICK_MS, server: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return { host: NaN, server: NaN };
  }
}

/** Batches of 100 readings, each with a new batchId (so new submission ids), signed by its kiosk. */
function batchMaker(kiosk: Kiosk, connection: number, target: number) {
  const readAt = toMoscowIso(new Date(Date.now() - 3600_000));
  const items = JSON.stringify(
    Array.from({ length: ITEMS }, (_, i) => ({
      seq: i + 1,
      accountNumber: `7${String(connection * 1000 + i).padStart(9, '0')}`,
      meterSerial: `BENCH-${connection}-${i}`,
      values: [{ zone: 'T1', value: `${100 + i},${String(connection).padStart(3, '0')}` }],
      readAt,
    })),
  );
  let counter = 0;
  return () => {
    counter += 1;
    const body = `{"batchId":"bench-${target}-${connection}-${counter}","items":${items}}`;
    return { body, headers: signedKioskHeaders(kiosk, body) };
  };
}

/** What one target's rounds measured together. */
class Tally {
  readonly latencies: number[] = [];
  failures = 0;
  seconds = 0;
  hostCpuMs = 0;
  serverCpuMs = 0;

  result(): Result {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => quantile(sorted, q);
    return {
      readingsPerSecond: (sorted.length * ITEMS) / this.seconds,
      p50: at(0.5),
      p99: at(0.99),
      requests: sorted.length,
      failures: this.failures,
      hostCpuMs: (this.hostCpuMs * 1000) / (sorted.length * ITEMS),
      serverCpuMs: (this.serverCpuMs * 1000) / (sorted.length * ITEMS),
    };
  }
}

interface Target {
  name: string;
  port: number;
  pid: number | undefined;
  tally: Tally;
  /** One batch maker per connection, so batch ids never repeat across rounds. */
  makers: (() => { body: string; headers: Record<string, string> })[];
}

/**
 * Closed-loop load for `seconds`: each connection posts its next batch as soon as the last one
 * is answered. Answers that arrive in the first `settleSeconds` are not counted.
 */
async function load(target: Target, seconds: number, settleSeconds: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const counted = new Tally();
  const countFrom = Date.now() + settleSeconds * 1000;
  const ends = countFrom + seconds * 1000;
  const cpu: { host: number; server: number }[] = [];
  const snapshotAt = (ms: number) =>
    new Promise<void>((resolve) =>
      setTimeout(() => resolve(void cpu.push(cpuMs(target.pid))), ms - Date.now()),
    );
  const snapshots = Promise.all([snapshotAt(countFrom), snapshotAt(ends)]);
  await Promise.all(
    target.makers.map(async (next) => {
      while (Date.now() < ends) {
        const { body, headers } = next();
        const started = process.hrtime.bigint();
        const { status } = await post(agent, target.port, KIOSK_PATHS.readings, headers, body);
        const finished = Date.now();
        if (finished < countFrom || finished > ends) continue;
        if (status === 202) counted.latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        else counted.failures += 1;
      }
    }),
  );
  agent.destroy();
  await snapshots;
  if (seconds === 0) return;
  counted.seconds = seconds;
  counted.hostCpuMs = cpu[1].host - cpu[0].host;
  counted.serverCpuMs = cpu[1].server - cpu[0].server;
  log(describe(`  ${target.name}`, counted.result()));
  target.tally.latencies.push(...counted.latencies);
  target.tally.failures += counted.failures;
  target.tally.seconds += seconds;
  target.tally.hostCpuMs += counted.hostCpuMs;
  target.tally.serverCpuMs += counted.serverCpuMs;
}

const describe = (name: string, r: Result) =>
  `${name}: ${r.requests} batches (${r.failures} failed), ${Math.round(r.readingsPerSecond)} readings/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms${
    Number.isFinite(r.hostCpuMs)
      ? `; CPU per 1000 readings: host ${r.hostCpuMs.toFixed(0)} ms, server ${r.serverCpuMs.toFixed(0)} ms`
      : ''
  }`;

async function main({ kafka, databaseUrl }: LocalEnv): Promise<void> {
  const db = await new DataSource(dataSourceOptions(databaseUrl, 1)).initialize();
  const kiosks = await registerKiosks(db, CONNECTIONS);
  await db.destroy();

  const topic = `meter-readings.submitted.v1.bench-kiosk-${Date.now()}`;
  const client = createKafka(kafka.split(','), 'kiosk-bench');
  await ensureTopics(client, [{ topic, numPartitions: 6 }], topicReplication(localConfig()));
  const admin = client.admin();
  await admin.connect();
  const common = { KAFKA_BROKERS: kafka, BENCH_TOPIC: topic, GATEWAY_MODE: 'development' };
  try {
    const [gatewayPort, baselinePort] = await freePorts(2);
    const servers = [
      startApp('apps/kiosk-gateway/src/main.ts', {
        ...common,
        DATABASE_URL: databaseUrl,
        KIOSK_GATEWAY_PORT: String(gatewayPort),
        KIOSK_SUBMISSION_TOPIC: topic,
        // The benchmark measures throughput, not the per-kiosk throttle.
        ...UNTHROTTLED_KIOSK_GATEWAY,
      }),
      startApp('bench/kiosk-baseline.server.ts', {
        ...common,
        BASELINE_PORT: String(baselinePort),
      }),
    ];
    try {
      await waitUntilUp(gatewayPort, '/health/live');
      await waitUntilUp(baselinePort, '/');
      const target = (name: string, port: number, id: number): Target => ({
        name,
        port,
        pid: servers[id].pid,
        tally: new Tally(),
        makers: kiosks.map((kiosk, connection) => batchMaker(kiosk, connection, id)),
      });
      const gateway = target('kiosk-gateway', gatewayPort, 0);
      const baseline = target('baseline (bare http + the same producer)', baselinePort, 1);
      log(
        `${CONNECTIONS} connections, ${ITEMS} readings per batch; after ${WARMUP_SECONDS} s of warm-up each, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s`,
      );
      for (const t of [gateway, baseline]) await load(t, 0, WARMUP_SECONDS);
      for (let round = 1; round <= ROUNDS; round += 1)
        for (const t of [gateway, baseline]) await load(t, ROUND_SECONDS, 0.5);
      const [kiosk, bare] = [gateway.tally.result(), baseline.tally.result()];
      log(describe('kiosk-gateway', kiosk));
      log(describe('baseline', bare));
      console.log(`kiosk_readings_per_s=${Math.round(kiosk.readingsPerSecond)}`);
      console.log(`baseline_readings_per_s=${Math.round(bare.readingsPerSecond)}`);
      console.log(`ratio=${(kiosk.readingsPerSecond / bare.readingsPerSecond).toFixed(3)}`);
      console.log(`p99_ms=${kiosk.p99.toFixed(1)}`);
    } finally {
      await Promise.all(servers.map(stopApp));
    }
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

runBench(() => withLocalEnv('meter_gateway_bench_kiosk', main));
