import { type Command, InvalidArgumentError, Option } from 'commander';
import { DAY_MS, DUE_SOON_DAYS, formatDate, METER_SERIAL, moscowDate } from '@gw/domain';
import { createKafka, KafkaPublisher } from '@gw/messaging';
import {
  AuditLogRepository,
  MeterVerificationRepository,
  OutcomeOutboxRepository,
  ReadingRepository,
  ReadingRevisionRepository,
  TransactionRunner,
} from '@gw/persistence';
import { kafkaSecurity } from '@gw/platform';
import {
  ArshinClient,
  arshinSettings,
  MeterRevalidation,
  OutcomeRelay,
  readingPolicy,
  ReadingRules,
  VerificationSync,
} from '@gw/runtime';
import type { CtlEnv } from '../ctl.env';
import type { CtlTools } from '../dlq/dlq.commands';
import type { Database } from '../persistence/with-database';
import { wholeNumber } from '../whole-number';

/** The sync as the back office runs it, over this command's database connection and producer. */
function verificationSync(env: CtlEnv, db: Database, publisher: KafkaPublisher): VerificationSync {
  const outbox = new OutcomeOutboxRepository(db);
  const verifications = new MeterVerificationRepository(db);
  const transactions = new TransactionRunner(db);
  const audit = new AuditLogRepository(db);
  const revalidation = new MeterRevalidation(
    transactions,
    verifications,
    new ReadingRevisionRepository(db),
    outbox,
    audit,
    new ReadingRules(new ReadingRepository(db), readingPolicy(env)),
    // Outcomes Kafka does not take stay in the outbox; the back office's relay sends them later.
    new OutcomeRelay(outbox, publisher, { intervalMs: 5000, decidedBy: env.CTL_DECIDED_BY }),
  );
  return new VerificationSync(
    new ArshinClient(arshinSettings(env)),
    verifications,
    revalidation,
    transactions,
    audit,
    env.ARSHIN_RECHECK_DAYS,
  );
}

/** `verifications sync`: what ФГИС «Аршин» shows for meters that fall due (contract section 8). */
export function addVerificationCommands(
  program: Command,
  env: CtlEnv,
  { withDatabase, print, actor }: CtlTools,
): void {
  const verifications = program
    .command('verifications')
    .description('verification (поверка) records of meters');
  verifications
    .command('sync')
    .description(
      'ask ФГИС «Аршин» about meters whose verification is expired or due within N days (or one serial), record what it shows and decide again the readings a new verification covers',
    )
    .option('--serial <serial>', 'only this meter', (serial: string) => {
      if (!METER_SERIAL.test(serial))
        throw new InvalidArgumentError('must be 1 to 32 printable characters');
      return serial;
    })
    .addOption(
      // One meter is looked up whatever its due date: the two together are refused, not one ignored.
      new Option('--due-within-days <n>', 'due within this many days (not with --serial)')
        .argParser(wholeNumber(0, 9999, 'days'))
        .default(DUE_SOON_DAYS)
        .conflicts('serial'),
    )
    .action((options: { serial?: string; dueWithinDays: number }) =>
      withDatabase(env, async (db) => {
        const publisher = new KafkaPublisher(
          createKafka(env.KAFKA_BROKERS, 'ctl', kafkaSecurity(env)),
          env.KAFKA_SEND_TIMEOUT_MS,
        );
        try {
          const dueBy = formatDate(
            moscowDate(new Date(Date.now() + options.dueWithinDays * DAY_MS)),
          );
          const report = await verificationSync(env, db, publisher).run(
            { dueBy, serial: options.serial },
            actor,
          );
          if (report === null) throw new InvalidArgumentError(`no meter ${options.serial}`);
          print(report);
        } finally {
          await publisher.close();
        }
      }),
    );
}
