import { buildSubmission, KIOSK_PATHS, TOPICS } from '@gw/contracts';
import { parseRegistryRecord, type RegistryMeter, toMoscowIso } from '@gw/domain';
import {
  createKafka,
  ensureTopics,
  gatewayTopics,
  KafkaPublisher,
  topicReplication,
} from '@gw/messaging';
import { dataSourceOptions, RegistryRepository } from '@gw/persistence';
import type { ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { freePorts, localConfig, localTopicEnv } from '../scripts/local-env';
import { registryRecord } from '../test/support/factories';
import {
  benchLog as log,
  type Answer,
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
  watchRunCpu,
  withLocalEnv,
} from './bench-support';

/**
 * `npm run bench:burst [-- --readings n] [--processors p] [--partitions n]`: n readings
 * (1,000,000 by default) from 200 signed kiosks, in batches of 500, through the kiosk-gateway,
 * Kafka and the reading-processor (all child processes) into PostgreSQL, as fast as the kiosks'
 * answers allow. `--steady [--rate r] [--seconds s]` sends batches at a fixed rate instead
 * (5,000 readings/s for 60 s by default), whatever the answers.
 *
 * The run has its own database, submission topic and consumer groups. The processor publishes to
 * the shared outcomes topic (its name is fixed), which the bench reads from the offsets it had
 * when the load began, matching outcomes to the 202s by submission id.
 */
const { values: options } = parseArgs({
  options: {
    readings: { type: 'string', default: '1000000' },
    steady: { type: 'boolean', default: false },
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '60' },
    processors: { type: 'string', default: '1' },
    partitions: { type: 'string', default: '6' },
  },
});
const STEADY = options.steady;
const RATE = Number(options.rate);
const PROCESSORS = Number(options.processors);
const PARTITIONS = Number(options.partitions);
const KIOSKS = 200;
const BATCH = 500;
/** Each meter gets this many readings, a day apart, so most are accepted with a consumption. */
const ROUNDS = 5;
const RETRIES = 5;
const READINGS = STEADY ? RATE * Number(options.seconds) : Number(options.readings);
const BATCHES = Math.ceil(READINGS / BATCH);
const BATCHES_PER_KIOSK = Math.ceil(BATCHES / KIOSKS);
/** Batches of distinct meters per kiosk and round. */
const SLICES = Math.ceil(BATCHES_PER_KIOSK / ROUNDS);
const METERS = Math.min(KIOSKS, BATCHES) * SLICES * BATCH;
const RUN = Date.now().toString(36);
// The baseline's producer is the gateway's own: its partitioner is the default on purpose.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const STARTED_AT = Date.now();

const account = (meter: number) => `3${String(meter).padStart(9, '0')}`;

function registry(): RegistryMeter[] {
  return Array.from({ length: METERS }, (_, meter) => {
    const parsed = parseRegistryRecord(
      registryRecord({ account_number: account(meter), serial: `B-${meter}` }),
    );
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.value;
  });
}

interface Reading {
  seq: number;
  accountNumber: string;
  meterSerial: string;
  values: { zone: string; value: string }[];
  readAt: string;
}

/**
 * The readings of batch `g` (0-based over the run): batches go to the kiosks in turn, and a
 * kiosk's batches go through its meters slice by slice, round after round, so a meter's readings
 * leave in order, a day apart.
 */
function readingsOf(g: number): { kiosk: number; items: Reading[] } {
  const kiosk = g % KIOSKS;
  const b = Math.floor(g / KIOSKS);
  const round = Math.floor(b / SLICES);
  const first = (kiosk * SLICES + (b % SLICES)) * BATCH;
  const readAt = toMoscowIso(new Date(STARTED_AT - (ROUNDS - round) * 86_400_000));
  const value = (100 + (round + 1) * 0.125).toFixed(3);
  const count = Math.min(BATCH, READINGS - g * BATCH);
  return {
    kiosk,
    items: Array.from({ length: count }, (_, i) => ({
      seq: i + 1,
      accountNumber: account(first + i),
      meterSerial: `B-${first + i}`,
      values: [{ zone: 'T1', value }],
      readAt,
    })),
  };
}

/** Times of the 202 and of the outcome per submission id, matched whichever comes first. */
class Matcher {
  private readonly answered = new Map<string, number>();
  private readonly decided = new Map<string, number>();
  readonly latencies: { at: number; ms: number }[] = [];

  answer(id: string, at: number): void {
    const decidedAt = this.decided.get(id);
    if (decidedAt === undefined) this.answered.set(id, at);
    else this.match(id, at, decidedAt);
  }

  outcome(id: string, at: number): void {
    const answeredAt = this.answered.get(id);
    if (answeredAt === undefined) this.decided.set(id, at);
    else this.match(id, answeredAt, at);
  }

  /** Forgets outcomes of other runs on the shared topic: no 202 of this run came for them. */
  prune(olderThan: number): void {
    for (const [id, at] of this.decided) if (at < olderThan) this.decided.delete(id);
  }

  private match(id: string, answeredAt: number, decidedAt: number): void {
    this.answered.delete(id);
    this.decided.delete(id);
    this.latencies.push({ at: answeredAt, ms: Math.max(0, decidedAt - answeredAt) });
  }
}

const SUBMISSION_ID = Buffer.from('"submissionId":"');

/** Reads the outcomes topic from its current end, handing each submission id to the matcher. */
async function watchOutcomes(kafka: ReturnType<typeof createKafka>, matcher: Matcher) {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(TOPICS.outcomes);
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `bench-burst-outcomes-${RUN}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.outcomes, fromBeginning: false });
  const joined = new Promise<void>((resolve) =>
    consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
  );
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) {
        const value = message.value;
        const at = value?.indexOf(SUBMISSION_ID) ?? -1;
        if (value && at >= 0)
          matcher.outcome(
            value.toString('latin1', at + SUBMISSION_ID.length, at + SUBMISSION_ID.length + 36),
            now,
          );
      }
    },
  });
  await joined;
  for (const { partition, offset } of offsets)
    consumer.seek({ topic: TOPICS.outcomes, partition, offset });
  return consumer;
}

interface Load {
  firstRequest: number;
  /** Batches posted again after a 503. */
  retries: number;
  last202: number;
  answered: number;
  failed: number;
  answerMs: number[];
}

/** Posts batch `g`, signed by its kiosk, and hands the 202's submission ids to the matcher. */
async function sendBatch(
  g: number,
  agent: Agent,
  port: number,
  kiosks: Kiosk[],
  matcher: Matcher,
  load: Load,
): Promise<void> {
  const { kiosk, items } = readingsOf(g);
  const body = JSON.stringify({ batchId: `burst-${RUN}-${g}`, items });
  const started = Date.now();
  // As a kiosk does: a 503 (Kafka did not acknowledge in time) is retried, signed anew; the
  // batch id keeps the submission ids, so nothing is stored twice.
  let answer: Answer;
  for (let attempt = 0; ; attempt += 1) {
    const headers = signedKioskHeaders(kiosks[kiosk], body);
    answer = await post(agent, port, KIOSK_PATHS.readings, headers, body, true);
    if (answer.status !== 503 || attempt === RETRIES) break;
    load.retries += 1;
    await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
  }
  const now = Date.now();
  if (answer.status !== 202) {
    load.failed += items.length;
    log(`batch ${g}: ${answer.status} ${answer.body.slice(0, 200)}`);
    return;
  }
  load.last202 = now;
  load.answerMs.push(now - started);
  const queued = (JSON.parse(answer.body) as { items: { submissionId?: string }[] }).items;
  for (const item of queued) if (item.submissionId) matcher.answer(item.submissionId, now);
  load.answered += queued.length;
}

const startLoad = (): Load => ({
  firstRequest: Date.now(),
  last202: 0,
  retries: 0,
  answered: 0,
  failed: 0,
  answerMs: [],
});

/** Every kiosk posts its next batch as soon as its last one is answered. */
async function burst(port: number, kiosks: Kiosk[], matcher: Matcher): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: KIOSKS });
  const load = startLoad();
  await Promise.all(
    kiosks.map(async (_, kiosk) => {
      for (let g = kiosk; g < BATCHES; g += KIOSKS)
        await sendBatch(g, agent, port, kiosks, matcher, load);
    }),
  );
  agent.destroy();
  return load;
}

/** Batches leave on a fixed schedule, RATE readings per second, whether or not answered. */
async function steady(port: number, kiosks: Kiosk[], matcher: Matcher): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: KIOSKS });
  const load = startLoad();
  const sent: Promise<void>[] = [];
  for (let g = 0; g < BATCHES; g += 1) {
    const due = load.firstRequest + (g * BATCH * 1000) / RATE;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    sent.push(sendBatch(g, agent, port, kiosks, matcher, load));
  }
  await Promise.all(sent);
  agent.destroy();
  return load;
}

/** The same canonical messages the gateway produces, published with its producer, 8 waves at a time. */
async function produceBaseline(kafka: ReturnType<typeof createKafka>, topic: string) {
  const publisher = new KafkaPublisher(kafka, 10000);
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let g = next++; g < BATCHES; g = next++) {
        const { kiosk, items } = readingsOf(g);
        const receivedAt = toMoscowIso(new Date());
        await publisher.publish(
          topic,
          items.map((item) => ({
            key: item.accountNumber,
            value: JSON.stringify(
              buildSubmission({
                channel: 'kiosk',
                sourceId: `K-BENCH-${kiosk}`,
                sourceRef: `baseline-${RUN}-${g}/${item.seq}`,
                accountNumber: item.accountNumber,
                meterSerial: item.meterSerial,
                values: item.values,
                readAt: item.readAt,
                receivedAt,
              }),
            ),
          })),
        );
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  await publisher.close();
  return seconds;
}

/** The same readings COPYed as decided rows into a plain table of the run's database. */
async function copyBaseline(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE bench_burst_copy (submission_id text, account_number text,
      meter_serial text, submitted_values jsonb, read_at timestamptz, status text, decided_at timestamptz)`);
    const lines = function* () {
      for (let g = 0; g < BATCHES; g += 1) {
        const decidedAt = new Date().toISOString();
        yield readingsOf(g)
          .items.map(
            (r) =>
              `${RUN}-${g}-${r.seq}\t${r.accountNumber}\t${r.meterSerial}\t${JSON.stringify(r.values)}\t${r.readAt}\taccepted\t${decidedAt}\n`,
          )
          .join('');
      }
    };
    const started = Date.now();
    await pipeline(
      Readable.from(lines()),
      client.query(copyFrom('COPY bench_burst_copy FROM STDIN')),
    );
    const seconds = (Date.now() - started) / 1000;
    await client.query(`DROP TABLE bench_burst_copy`);
    return seconds;
  } finally {
    await client.end();
  }
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const load1 = () => loadavg()[0].toFixed(2);

function latencyLine(name: string, values: number[]): string {
  const sorted = Float64Array.from(values).sort();
  return `${name}: p50 ${ms(quantile(sorted, 0.5))}, p99 ${ms(quantile(sorted, 0.99))}, max ${ms(sorted[sorted.length - 1] ?? NaN)} over ${sorted.length}`;
}

async function main({ kafka: brokers, databaseUrl }: LocalEnv): Promise<void> {
  const children: ChildProcess[] = [];
  const stopAll = () => Promise.all(children.map(stopApp));
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void stopAll().finally(() => process.exit(130)));

  const kafka = createKafka(brokers.split(','), 'burst-bench');
  const admin = kafka.admin();
  const topic = `meter-readings.submitted.v1.bench-burst-${RUN}`;
  const baselineTopic = `${topic}-baseline`;
  const groupId = `bench-burst-${RUN}`;
  let outcomes: Awaited<ReturnType<typeof watchOutcomes>> | undefined;
  try {
    const db = await new DataSource(dataSourceOptions(databaseUrl, 2)).initialize();
    log(
      `${READINGS} readings in ${BATCHES} batches of ${BATCH} from ${KIOSKS} kiosks over ${METERS} meters; ${PROCESSORS} processor(s), ${PARTITIONS} partitions; load ${load1()}`,
    );
    const repository = new RegistryRepository(db);
    const meters = registry();
    for (let i = 0; i < meters.length; i += 5000)
      await repository.upsertMeters(meters.slice(i, i + 5000));
    await db.query('ANALYZE');
    const kiosks = await registerKiosks(db, KIOSKS);

    const replication = topicReplication(localConfig());
    await ensureTopics(kafka, gatewayTopics(PARTITIONS), replication);
    await ensureTopics(
      kafka,
      [
        { topic, numPartitions: PARTITIONS },
        { topic: baselineTopic, numPartitions: PARTITIONS },
      ],
      replication,
    );
    await admin.connect();

    const ports = await freePorts(1 + PROCESSORS);
    const common = {
      ...localTopicEnv(process.env, PARTITIONS),
      KAFKA_BROKERS: brokers,
      DATABASE_URL: databaseUrl,
      GATEWAY_MODE: 'development',
    };
    children.push(
      startApp('apps/kiosk-gateway/src/main.ts', {
        ...common,
        ...UNTHROTTLED_KIOSK_GATEWAY,
        KIOSK_GATEWAY_PORT: String(ports[0]),
        KIOSK_SUBMISSION_TOPIC: topic,
      }),
      ...ports.slice(1).map((port) =>
        startApp('apps/reading-processor/src/main.ts', {
          ...common,
          READING_PROCESSOR_PORT: String(port),
          PROCESSOR_TOPIC: topic,
          PROCESSOR_GROUP_ID: groupId,
        }),
      ),
    );
    await waitUntilUp(ports[0], '/health/live');
    await Promise.all(ports.slice(1).map((port) => waitUntilUp(port, '/health/ready', true)));
    const matcher = new Matcher();
    outcomes = await watchOutcomes(kafka, matcher);

    log(`${STEADY ? `steady ${RATE} readings/s` : 'burst'}; load ${load1()}`);
    const progress = setInterval(() => {
      matcher.prune(Date.now() - 60_000);
      if (process.stderr.isTTY)
        process.stderr.write(`\r[bench] outcomes matched ${matcher.latencies.length}/${READINGS}`);
    }, 1000);
    const cpu = await watchRunCpu(databaseUrl, {
      gateway: [children[0].pid as number],
      processor: children.slice(1).map((child) => child.pid as number),
    });
    const load = await (STEADY ? steady : burst)(ports[0], kiosks, matcher);
    const edgeSeconds = (load.last202 - load.firstRequest) / 1000;
    log(
      `edge: ${load.answered} readings answered 202 in ${edgeSeconds.toFixed(1)} s (${load.failed} not; ${load.retries} batches retried after a 503); load ${load1()}`,
    );
    const expected = load.answered;
    // Progress from the outcomes matched: each is published only once its decision is stored, and
    // counting the readings table every second would load the database being measured.
    for (let idle = 0, matched = 0; matcher.latencies.length < expected;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      idle = matcher.latencies.length === matched ? idle + 1 : 0;
      matched = matcher.latencies.length;
      if (idle >= 60) throw new Error(`stalled: ${matched} outcomes matched of ${expected}`);
    }
    const [state] = await db.query(
      `SELECT count(*)::int AS n, max(decided_at) AS last FROM readings`,
    );
    if (state.n < expected) throw new Error(`${state.n} decisions stored of ${expected}`);
    const spent = await cpu.stop();
    clearInterval(progress);
    if (process.stderr.isTTY) process.stderr.write('\n');
    const endToEnd = (state.last.getTime() - load.firstRequest) / 1000;
    const statuses: { status: string; reasons: string[]; n: number }[] = await db.query(
      `SELECT status, reasons, count(*)::int AS n FROM readings GROUP BY 1, 2 ORDER BY 3 DESC`,
    );
    log(
      `decisions: ${statuses.map((s) => `${[s.status, ...s.reasons].join(' ')}=${s.n}`).join(', ')}`,
    );
    log(latencyLine('request to 202', load.answerMs));
    const all = matcher.latencies.map((l) => l.ms);
    log(latencyLine('202 to outcome', all));
    const warm = matcher.latencies
      .filter((l) => l.at >= load.firstRequest + 10_000)
      .map((l) => l.ms);
    if (STEADY) log(latencyLine('202 to outcome after the first 10 s', warm));
    log(`CPU from the first request to the last outcome: ${spent.line}`);
    await Promise.all(children.splice(0).map(stopApp));
    await db.destroy();

    log(
      `baselines: bare produce of the same canonical messages, then COPY of as many rows; load ${load1()}`,
    );
    const produceSeconds = await produceBaseline(kafka, baselineTopic);
    const copySeconds = await copyBaseline(databaseUrl);
    // Scaled to the readings the run answered, should some batches have failed.
    const baselineSeconds = ((produceSeconds + copySeconds) * expected) / READINGS;
    log(
      `produce ${produceSeconds.toFixed(1)} s, COPY ${copySeconds.toFixed(1)} s; load ${load1()}`,
    );

    const sorted = Float64Array.from(all).sort();
    console.log(`readings=${expected}`);
    console.log(`processors=${PROCESSORS}`);
    console.log(`first_request_to_last_decision_s=${endToEnd.toFixed(2)}`);
    console.log(`edge_readings_per_s=${Math.round(expected / edgeSeconds)}`);
    console.log(`e2e_readings_per_s=${Math.round(expected / endToEnd)}`);
    console.log(`outcome_p50_ms=${quantile(sorted, 0.5).toFixed(0)}`);
    console.log(`outcome_p99_ms=${quantile(sorted, 0.99).toFixed(0)}`);
    console.log(`baseline_produce_readings_per_s=${Math.round(READINGS / produceSeconds)}`);
    console.log(`baseline_copy_rows_per_s=${Math.round(READINGS / copySeconds)}`);
    console.log(`baseline_produce_then_copy_s=${baselineSeconds.toFixed(2)}`);
    console.log(`ratio=${(baselineSeconds / endToEnd).toFixed(3)}`);
    for (const [name, seconds] of Object.entries(spent.seconds))
      console.log(
        `cpu_${name.toLowerCase()}_us_per_reading=${((1e6 * seconds) / expected).toFixed(0)}`,
      );
    console.log(
      `load_average=${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await stopAll();
    await outcomes?.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic, baselineTopic] }).catch(() => undefined);
    await admin.deleteGroups([groupId, `bench-burst-outcomes-${RUN}`]).catch(() => undefined);
    await admin.disconnect();
  }
}

runBench(() => withLocalEnv(`meter_gateway_bench_burst_${process.pid}`, main));
