import { buildSubmission, type SubmissionMessage } from '@gw/contracts';
import {
  moscowMidnight,
  parseRegistryRecord,
  type RegistryMeter,
  type RegistryRecord,
  toMoscowIso,
} from '@gw/domain';
import { createKafka, ensureTopics, gatewayTopics, topicReplication } from '@gw/messaging';
import { dataSourceOptions, RegistryRepository } from '@gw/persistence';
import { loadConfig, metricsRegistry } from '@gw/platform';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { bootstrap } from '../apps/reading-processor/src/main';
import { ProcessorEnv } from '../apps/reading-processor/src/processor.env';
import { localConfig } from '../scripts/local-env';
import { type LocalEnv, runBench, watchDatabaseCpu, withLocalEnv } from './bench-support';

/**
 * `npm run bench:processor`: 200,000 canonical submissions over 50,000 accounts (~10% rejected)
 * on a fresh topic, timed from the first decision to the last, against the baseline of COPYing
 * as many rows into a plain table of the same database.
 */
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 50_000);
const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 200_000);
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
// The bench's producer and the processor's keep kafkajs' default partitioner on purpose.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const account = (i: number) => `6${String(i).padStart(9, '0')}`;

function registry(): RegistryMeter[] {
  const rows: RegistryRecord[] = [];
  for (let i = 0; i < ACCOUNTS; i += 1) {
    const expired = i % 50 === 7;
    const common = {
      account_number: account(i),
      integer_digits: '5',
      fraction_digits: '3',
      installed_on: '2022-01-10',
      initial_on: '2026-10-20',
      decommissioned_on: '',
    };
    rows.push({
      ...common,
      serial: `C-${i}`,
      resource: 'cold_water',
      zones: '1',
      verified_on: expired ? '2019-01-10' : '2022-01-10',
      verification_interval_months: '72',
      initial_t1: '00100.000',
      initial_t2: '',
      initial_t3: '',
    });
    rows.push({
      ...common,
      serial: `H-${i}`,
      resource: 'hot_water',
      zones: '1',
      verified_on: '2022-01-10',
      verification_interval_months: '72',
      initial_t1: '00050.000',
      initial_t2: '',
      initial_t3: '',
    });
    if (i % 2 === 0) {
      rows.push({
        ...common,
        serial: `E-${i}`,
        resource: 'electricity',
        zones: '2',
        integer_digits: '6',
        fraction_digits: '1',
        verified_on: '2022-01-10',
        verification_interval_months: '192',
        initial_t1: '004000.0',
        initial_t2: '001500.0',
        initial_t3: '',
      });
    }
  }
  return rows.map((r) => {
    const parsed = parseRegistryRecord(r);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.value;
  });
}

/** Rounds of one reading per account, rotating its meters; about one in ten is meant to be rejected. */
function submissions(): SubmissionMessage[] {
  const out: SubmissionMessage[] = [];
  for (let round = 0; out.length < SUBMISSIONS; round += 1) {
    const readAt = new Date(
      moscowMidnight(`2026-11-${String(16 + round).padStart(2, '0')}`).getTime() + 10 * 3600_000,
    );
    for (let i = 0; i < ACCOUNTS && out.length < SUBMISSIONS; i += 1) {
      const kind = ['C', 'H', 'E', 'C', 'H'][(round + i) % 5];
      const electric = kind === 'E' && i % 2 === 0;
      let serial = `${electric ? 'E' : kind === 'E' ? 'C' : kind}-${i}`;
      let accountNumber = account(i);
      const day = round + 1;
      let values = electric
        ? [
            { zone: 'T1', value: (4000 + day * 6.5).toFixed(1) },
            { zone: 'T2', value: (1500 + day * 2.5).toFixed(1) },
          ]
        : [
            {
              zone: 'T1',
              value: ((serial.startsWith('C') ? 100 : 50) + day * (0.2 + random() * 0.2)).toFixed(
                3,
              ),
            },
          ];
      const dice = random();
      if (dice < 0.03) serial = `X-${i}`;
      else if (dice < 0.05)
        values = values.map((v) => ({ ...v, value: `1234567.${v.value.split('.')[1]}` }));
      else if (dice < 0.07) values = values.map((v) => ({ ...v, value: '1.0' }));
      else if (dice < 0.08) accountNumber = `5${String(i).padStart(9, '0')}`;
      out.push(
        buildSubmission({
          channel: 'kiosk',
          sourceId: 'K-BENCH',
          sourceRef: `${round}/${i}`,
          accountNumber,
          meterSerial: serial,
          values,
          readAt: toMoscowIso(readAt),
          receivedAt: toMoscowIso(new Date(readAt.getTime() + 2000)),
        }),
      );
    }
  }
  return out;
}

async function copyBaseline(url: string, messages: SubmissionMessage[]): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS bench_copy`);
    await client.query(`CREATE TABLE bench_copy (submission_id uuid, channel text, source_id text, source_ref text, account_number text,
      meter_serial text, submitted_values jsonb, read_at timestamptz, received_at timestamptz, status text, reasons text[], decided_at timestamptz)`);
    const csv = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const lines = function* () {
      for (const m of messages) {
        yield `${[m.submissionId, m.channel, m.source.id, csv(m.source.ref), m.accountNumber, m.meterSerial, csv(JSON.stringify(m.values)), m.readAt, m.receivedAt, 'accepted', '{}', new Date().toISOString()].join(',')}\n`;
      }
    };
    const started = process.hrtime.bigint();
    await pipeline(
      Readable.from(lines()),
      client.query(copyFrom('COPY bench_copy FROM STDIN WITH (FORMAT csv)')),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await client.query(`DROP TABLE bench_copy`);
    return messages.length / seconds;
  } finally {
    await client.end();
  }
}

async function stageBreakdown(): Promise<string> {
  const metrics = await metricsRegistry.getMetricsAsJSON();
  const sums = (name: string) =>
    (metrics.find((m) => m.name === name)?.values ?? []).filter((v) =>
      String((v as { metricName?: string }).metricName).endsWith('_sum'),
    );
  const lines = sums('processor_stage_seconds').map(
    (v) => `  ${String(v.labels.stage).padEnd(8)} ${Number(v.value).toFixed(2)} s`,
  );
  const total = sums('consumer_batch_seconds').reduce((s, v) => s + Number(v.value), 0);
  return [
    `  batches  ${total.toFixed(2)} s in handler+commit (the rest of the wall time is Kafka fetch and idle)`,
    ...lines,
  ].join('\n');
}

async function main({ kafka, databaseUrl }: LocalEnv): Promise<void> {
  const db = await new DataSource(dataSourceOptions(databaseUrl, 2)).initialize();
  log(`seeding ${ACCOUNTS} accounts`);
  const meters = registry();
  const repository = new RegistryRepository(db);
  for (let i = 0; i < meters.length; i += 5000)
    await repository.upsertMeters(meters.slice(i, i + 5000));
  await db.query('ANALYZE');

  // Published, then let go: the processor runs in this process and should not carry the
  // bench's copy of 200,000 messages through its garbage collections.
  let messages: SubmissionMessage[] | null = submissions();
  const total = messages.length;
  const topic = `meter-readings.submitted.v1.bench-${Date.now()}`;
  const client = createKafka(kafka.split(','), 'bench');
  const admin = client.admin();
  await admin.connect();
  // The processor publishes outcomes (and dead letters) to the gateway's own topics.
  await ensureTopics(
    client,
    [...gatewayTopics(6), { topic, numPartitions: 6 }],
    topicReplication(localConfig()),
  );
  const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  log(`publishing ${total} submissions to ${topic}`);
  for (let i = 0; i < total; i += 2000) {
    await producer.send({
      topic,
      acks: -1,
      messages: messages
        .slice(i, i + 2000)
        .map((m) => ({ key: m.accountNumber, value: JSON.stringify(m) })),
    });
  }
  await producer.disconnect();
  messages = null;

  log('processing');
  const env = loadConfig(ProcessorEnv, {
    ...process.env,
    KAFKA_BROKERS: kafka,
    DATABASE_URL: databaseUrl,
    PROCESSOR_TOPIC: topic,
    PROCESSOR_GROUP_ID: `bench-${Date.now()}`,
    READING_PROCESSOR_PORT: '0',
    LOG_LEVEL: 'error',
  });
  const app = await bootstrap(env);
  const databaseCpu = await watchDatabaseCpu(databaseUrl);
  const processCpu = process.cpuUsage();
  // Progress from the group's committed offsets, which move only once a batch's decisions are
  // stored and its outcomes acknowledged: polling the readings table would load the database
  // being measured.
  const ends = await admin.fetchTopicOffsets(topic);
  const decided = async () => {
    const [committed] = await admin.fetchOffsets({
      groupId: env.PROCESSOR_GROUP_ID,
      topics: [topic],
    });
    return committed.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  };
  const end = ends.reduce((sum, p) => sum + Number(p.high), 0);
  for (let n = await decided(); n < end; n = await decided()) {
    await new Promise((r) => setTimeout(r, 250));
    if (process.stderr.isTTY) process.stderr.write(`\r[bench] decided ${n}/${end}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const cpu = {
    processor: (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(processCpu)),
    database: await databaseCpu.stop(),
  };
  await app.close();
  const [state] = await db.query(
    `SELECT count(*)::int AS n, min(decided_at) AS first, max(decided_at) AS last FROM readings`,
  );
  if (state.n !== total) throw new Error(`${state.n} readings stored of ${total}`);
  const seconds = (state.last.getTime() - state.first.getTime()) / 1000;
  const processorRate = total / seconds;
  const statuses = await db.query(
    `SELECT status, count(*)::int AS n FROM readings GROUP BY status ORDER BY status`,
  );
  log(
    `decisions: ${statuses.map((s: { status: string; n: number }) => `${s.status}=${s.n}`).join(' ')}`,
  );
  log(
    `CPU: processor ${cpu.processor.toFixed(1)} s, PostgreSQL ${cpu.database.toFixed(1)} s (${((1e6 * (cpu.processor + cpu.database)) / total).toFixed(0)} µs per reading)`,
  );
  log(`where the processor's time went (summed over batches):\n${await stageBreakdown()}`);

  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  await db.destroy();
  seed = 42; // the same submissions again, for the baseline
  const baseline = await copyBaseline(databaseUrl, submissions());

  console.log(`processor_seconds=${seconds.toFixed(2)}`);
  console.log(`processor_readings_per_s=${Math.round(processorRate)}`);
  console.log(`baseline_copy_rows_per_s=${Math.round(baseline)}`);
  console.log(`processor_cpu_s=${cpu.processor.toFixed(1)}`);
  console.log(`database_cpu_s=${cpu.database.toFixed(1)}`);
  console.log(`ratio=${(processorRate / baseline).toFixed(3)}`);
}

// A database of the run's own, dropped whatever happens: two runs at once do not collide.
runBench(() => withLocalEnv(`meter_gateway_bench_processor_${process.pid}`, main));
