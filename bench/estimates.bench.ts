import { createKafka, KafkaPublisher } from '@gw/messaging';
import {
  dataSourceOptions,
  EstimateRepository,
  migrate,
  TransactionRunner,
  VerificationReminderRepository,
} from '@gw/persistence';
import { BillingRelay, estimatePolicy, readingPolicy, RunEstimatesUseCase } from '@gw/runtime';
import { DEFAULT_DATABASE_TIMEOUTS, loadConfig } from '@gw/platform';
import { execFileSync } from 'node:child_process';
import { DataSource } from 'typeorm';
import { ProcessorEnv } from '../apps/reading-processor/src/processor.env';
import { dropDatabase, ensureDatabase, ensureKafka } from '../scripts/local-env';

/**
 * `npm run bench:estimates`: an estimate run for 2026-10 over BENCH_METERS meters (default
 * 100,000) with six months of accepted readings each; one in ten was read for 2026-10, one in
 * twenty expired in 2026-05 (raised normative). Times the decisions and the publishing apart.
 */
const METERS = Number(process.env.BENCH_METERS ?? 100_000);
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

async function seed(db: DataSource): Promise<void> {
  await db.query(
    `INSERT INTO accounts (account_number)
     SELECT '7' || lpad(i::text, 9, '0') FROM generate_series(1, $1) i`,
    [METERS],
  );
  await db.query(
    `INSERT INTO meters (serial, account_number, resource, zones, integer_digits, fraction_digits,
            installed_on, verified_on, verification_interval_months, verification_due_on, initial_t1, initial_on)
     SELECT 'B-' || i, '7' || lpad(i::text, 9, '0'), 'cold_water', 1, 5, 3, '2020-01-10',
            CASE WHEN i % 20 = 3 THEN '2020-05-10'::date ELSE '2024-01-10'::date END, 72,
            CASE WHEN i % 20 = 3 THEN '2026-05-10'::date ELSE '2030-01-10'::date END, 100, '2025-12-20'
       FROM generate_series(1, $1) i`,
    [METERS],
  );
  await db.query(
    `INSERT INTO normatives (account_number, resource, monthly_volume)
     SELECT '7' || lpad(i::text, 9, '0'), 'cold_water', 6.9 FROM generate_series(1, $1) i`,
    [METERS],
  );
  // Six monthly readings (2026-04 to 2026-09) of 3 m³ each, and 2026-10 for one meter in ten.
  await db.query(
    `INSERT INTO readings (submission_id, channel, source_id, source_ref, account_number, meter_serial,
            submitted_values, t1, read_at, received_at, status, billing_period, consumption,
            consumption_total, decided_at, kafka_partition, kafka_offset)
     SELECT gen_random_uuid(), 'kiosk', 'K-BENCH', i || '/' || m, '7' || lpad(i::text, 9, '0'), 'B-' || i,
            '[]', 100 + 3 * m, make_timestamptz(2026, m, 20, 10, 0, 0, 'Europe/Moscow'),
            make_timestamptz(2026, m, 20, 10, 0, 0, 'Europe/Moscow'), 'accepted',
            '2026-' || lpad(m::text, 2, '0'), '[{"zone":"T1","value":"3.000"}]', 3, now(), 0, 0
       FROM generate_series(1, $1) i, generate_series(4, 10) m
      WHERE m < 10 OR i % 10 = 0`,
    [METERS],
  );
  await db.query('ANALYZE');
}

async function main(): Promise<void> {
  const kafka = await ensureKafka();
  const database = await ensureDatabase('meter_gateway_bench_estimates', { fresh: true });
  await migrate(database.value);
  const db = await new DataSource(dataSourceOptions(database.value, 4)).initialize();
  // Seeding a million rows takes longer than the apps' statement timeout; the run keeps it.
  const seeder = await new DataSource(
    dataSourceOptions(database.value, 1, {
      timeouts: { ...DEFAULT_DATABASE_TIMEOUTS, statementMs: 0 },
    }),
  ).initialize();
  const env = loadConfig(ProcessorEnv, {
    ...process.env,
    KAFKA_BROKERS: kafka.value,
    DATABASE_URL: database.value,
  });
  const publisher = new KafkaPublisher(
    createKafka(kafka.value.split(','), 'bench-estimates'),
    env.KAFKA_SEND_TIMEOUT_MS,
  );
  try {
    log(`seeding ${METERS} meters with six months of readings`);
    await seed(seeder);
    await seeder.destroy();
    log(`uptime before: ${uptime()}`);
    const estimates = new EstimateRepository(db);
    const started = Date.now();
    const report = await new RunEstimatesUseCase(
      estimates,
      new TransactionRunner(db),
      readingPolicy(env).window,
      estimatePolicy(env),
    ).run('2026-10', new Date());
    const decided = (Date.now() - started) / 1000;
    const relay = await new BillingRelay(
      new VerificationReminderRepository(db),
      estimates,
      publisher,
    ).drain();
    const total = (Date.now() - started) / 1000;
    log(`uptime after: ${uptime()}`);
    const line = (name: string, value: number | string) =>
      process.stdout.write(`${name} ${value}\n`);
    line('meters', METERS);
    line('checked', report.checked);
    line('estimated', report.estimated);
    line('by_method', JSON.stringify(report.byMethod));
    line('decide_and_store_s', decided.toFixed(1));
    line('decide_and_store_meters_per_s', Math.round(METERS / decided));
    line('published', relay.estimates);
    line('publish_s', (total - decided).toFixed(1));
    line('publish_messages_per_s', Math.round(relay.estimates / (total - decided)));
    line('total_s', total.toFixed(1));
    line('extrapolated_1m_meters_s', ((total * 1_000_000) / METERS).toFixed(0));
  } finally {
    await publisher.close();
    await db.destroy();
    await dropDatabase(database.value);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
