import { type Command, InvalidArgumentError } from 'commander';
import {
  formatDate,
  isPeriod,
  isValidDate,
  moscowDate,
  NORMATIVE_COLUMNS,
  parseNormativeRecord,
} from '@gw/domain';
import { createKafka, KafkaPublisher } from '@gw/messaging';
import {
  EstimateRepository,
  TransactionRunner,
  VerificationReminderRepository,
} from '@gw/persistence';
import { kafkaSecurity } from '@gw/platform';
import {
  BillingRelay,
  estimatePolicy,
  readingPolicy,
  RunEstimatesUseCase,
  RunRemindersUseCase,
} from '@gw/runtime';
import { importCsv } from '../csv-import';
import type { CtlEnv } from '../ctl.env';
import type { CtlTools } from '../dlq/dlq.commands';
import { NormativeImportRepository } from '../persistence/normative-import.repository';
import type { Database } from '../persistence/with-database';

/** Publishes what the tables hold unpublished (this run's and any earlier run's left-overs). */
async function relay(env: CtlEnv, db: Database) {
  const publisher = new KafkaPublisher(
    createKafka(env.KAFKA_BROKERS, 'ctl', kafkaSecurity(env)),
    env.KAFKA_SEND_TIMEOUT_MS,
  );
  try {
    return await new BillingRelay(
      new VerificationReminderRepository(db),
      new EstimateRepository(db),
      publisher,
    ).drain();
  } finally {
    await publisher.close();
  }
}

/** `normatives import`, `estimates run` and `reminders run` (contract sections 9 and 10). */
export function addBillingCommands(
  program: Command,
  env: CtlEnv,
  { withDatabase, print }: CtlTools,
): void {
  program
    .command('normatives')
    .description('normative monthly volumes per account and resource, from the billing system')
    .command('import <file>')
    .description(
      `import a normatives CSV (${NORMATIVE_COLUMNS.join(';')}; idempotent, a row for a known account and resource updates it)`,
    )
    .action((file: string) =>
      withDatabase(env, async (db) => {
        const repository = new NormativeImportRepository(db);
        print(
          await importCsv(file, {
            columns: NORMATIVE_COLUMNS,
            parse: parseNormativeRecord,
            write: (rows) => repository.upsert(rows),
          }),
        );
      }),
    );

  program
    .command('estimates')
    .description('Decree-354 estimates for meters without an accepted reading')
    .command('run')
    .description(
      'estimate a billing period for each resource whose window has closed and publish the estimates on meter-readings.estimates.v1; the resources whose window is still open are reported as pending and estimated by a later run (idempotent: what was estimated is neither recomputed nor published again)',
    )
    .requiredOption('--period <YYYY-MM>', 'the billing period', (value: string) => {
      if (!isPeriod(value)) throw new InvalidArgumentError('must be a month YYYY-MM');
      return value;
    })
    .action((options: { period: string }) =>
      withDatabase(env, async (db) => {
        const started = Date.now();
        const report = await new RunEstimatesUseCase(
          new EstimateRepository(db),
          new TransactionRunner(db),
          readingPolicy(env).window,
          estimatePolicy(env),
        ).run(options.period, new Date());
        const published = await relay(env, db);
        print({
          ...report,
          published: published.estimates,
          seconds: (Date.now() - started) / 1000,
        });
      }),
    );

  program
    .command('reminders')
    .description('verification reminders 60 and 30 days ahead and on the due date')
    .command('run')
    .description(
      'decide the reminders of one day and publish them on meter-verifications.reminders.v1 (each once per meter, due date and days left)',
    )
    .option(
      '--date <YYYY-MM-DD>',
      'the day to run for: today in Moscow (the default) or a day before',
      (value: string) => {
        if (!isValidDate(value)) throw new InvalidArgumentError('must be a date YYYY-MM-DD');
        // A reminder is decided once: one decided ahead of its day would never be sent on it.
        if (value > formatDate(moscowDate(new Date())))
          throw new InvalidArgumentError('must not be after today in Moscow');
        return value;
      },
    )
    .action((options: { date?: string }) =>
      withDatabase(env, async (db) => {
        const now = new Date();
        const report = await new RunRemindersUseCase(
          new VerificationReminderRepository(db),
          env.REMINDER_CATCH_UP_DAYS,
        ).run(options.date ?? formatDate(moscowDate(now)), now);
        const published = await relay(env, db);
        print({ ...report, published: published.reminders });
      }),
    );
}
