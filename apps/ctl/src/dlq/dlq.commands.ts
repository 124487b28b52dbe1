import { type Command, InvalidArgumentError } from 'commander';
import { DECIDED_BY_HEADER, isTimestamp, TIMESTAMP_RULE } from '@gw/contracts';
import { isValidDate, moscowMidnight } from '@gw/domain';
import { createKafka, headerText, KafkaPublisher, ORIGINAL_OMITTED_HEADER } from '@gw/messaging';
import { AuditLogRepository, TransactionRunner } from '@gw/persistence';
import { kafkaSecurity } from '@gw/platform';
import type { CtlEnv } from '../ctl.env';
import {
  type DeadLetterView,
  DLQ_SOURCES,
  type DlqMessage,
  replayOf,
  viewDeadLetter,
} from './dead-letter';
import { readDeadLetters } from './dead-letter-reader';
import { DlqReplayRepository } from '../persistence/dlq-replay.repository';
import type { Database } from '../persistence/with-database';

/** What every command of `ctl` shares, from its main module. */
export interface CtlTools {
  withDatabase: <T>(env: CtlEnv, work: (db: Database) => Promise<T>) => Promise<T>;
  print: (result: unknown) => void;
  /** How the audit log names changes made on the command line. */
  actor: { login: string; role: string };
}

interface DlqOptions {
  topic: string;
  since?: Date;
  reason?: string;
  group?: string;
}

/*
 * The options' parsers: commander names the option and the value in its error line, and prints
 * the command's usage after it.
 */

/** `--topic`: a dead-letter topic of the gateway. */
export function dlqTopic(topic: string): string {
  if (!Object.hasOwn(DLQ_SOURCES, topic))
    throw new InvalidArgumentError(`must be one of ${Object.keys(DLQ_SOURCES).join(', ')}`);
  return topic;
}

/** `--since` as an instant: an RFC 3339 one, or a date alone for the start of that day in Moscow. */
export function sinceInstant(since: string): Date {
  if (isTimestamp(since)) return new Date(since);
  if (isValidDate(since)) return moscowMidnight(since);
  throw new InvalidArgumentError(
    `${TIMESTAMP_RULE} (e.g. 2026-12-05T09:00:00+03:00), or a date YYYY-MM-DD for 00:00 Moscow time`,
  );
}

const place = (m: { partition: number; offset: string }) => `${m.partition}/${m.offset}`;

/** The letters of the span asked for, with the reason filter applied. */
async function lettersOf(env: CtlEnv, { topic, since, reason, group }: DlqOptions) {
  const kafka = createKafka(env.KAFKA_BROKERS, 'ctl', kafkaSecurity(env));
  const messages = await readDeadLetters(kafka, topic, since ?? null);
  return messages
    .map((message) => ({ message, view: viewDeadLetter(topic, message) }))
    .filter(({ view }) => !reason || view.reason === reason)
    .filter(({ message }) => !group || headerText(message.headers, DECIDED_BY_HEADER) === group);
}

/**
 * Re-publishes the letters not replayed before to their source topics, recording each in
 * `dlq_replays` and the whole in the audit log in one transaction that commits only after Kafka
 * acknowledged them: a failed publish records nothing, and a second replay skips what the first
 * recorded. Downstream is idempotent by submission id, so the one window for a repeat (a crash
 * between the acknowledgement and the commit) changes nothing either. A letter sent without its
 * original is skipped and reported: its empty value would go back in the original's place.
 */
async function replay(
  env: CtlEnv,
  db: Database,
  actor: CtlTools['actor'],
  options: DlqOptions,
  found: { message: DlqMessage; view: DeadLetterView }[],
) {
  const skipped = found
    .filter(({ view }) => view.originalOmitted !== null)
    .map(({ view }) => ({
      partition: view.partition,
      offset: view.offset,
      source: view.source,
      reason: `sent without its original (${ORIGINAL_OMITTED_HEADER}): read it at its source`,
    }));
  const letters = found
    .filter(({ view }) => view.originalOmitted === null)
    .map(({ message }) => message);
  const replays = new DlqReplayRepository(db);
  const publisher = new KafkaPublisher(
    createKafka(env.KAFKA_BROKERS, 'ctl', kafkaSecurity(env)),
    env.KAFKA_SEND_TIMEOUT_MS,
  );
  try {
    return await new TransactionRunner(db).run(async (tx) => {
      const outgoing = letters.map((letter) => ({
        letter,
        replay: replayOf(options.topic, letter),
      }));
      const claimed = await replays.claim(
        tx,
        options.topic,
        outgoing.map(({ letter, replay }) => ({ ...letter, target: replay.topic })),
      );
      const chosen = outgoing.filter(({ letter }) => claimed.has(place(letter)));
      const byTopic = new Map<string, typeof chosen>();
      for (const item of chosen)
        byTopic.set(item.replay.topic, [...(byTopic.get(item.replay.topic) ?? []), item]);
      for (const [topic, items] of byTopic)
        await publisher.publish(
          topic,
          items.map(({ replay }) => ({
            key: replay.key,
            value: replay.value,
            headers: replay.headers,
          })),
        );
      const replayed = chosen.map(({ letter, replay }) => ({
        partition: letter.partition,
        offset: letter.offset,
        to: replay.topic,
        submissionId: viewDeadLetter(options.topic, letter).submissionId,
      }));
      await new AuditLogRepository(db).append(tx, {
        ...actor,
        action: 'dlq replay',
        subject: options.topic,
        before: null,
        after: {
          since: options.since?.toISOString() ?? null,
          reason: options.reason ?? null,
          group: options.group ?? null,
          replayed: replayed.map(place),
          alreadyReplayed: letters.length - chosen.length,
          skipped: skipped.map(place),
        },
      });
      return {
        topic: options.topic,
        replayed,
        alreadyReplayed: letters.length - chosen.length,
        skipped,
      };
    });
  } finally {
    await publisher.close();
  }
}

/** `dlq list` and `dlq replay`: dead letters inspected and sent back where they came from. */
export function addDlqCommands(
  program: Command,
  env: CtlEnv,
  { withDatabase, print, actor }: CtlTools,
): void {
  const dlq = program
    .command('dlq')
    .description('dead-letter topics: what is in them, and sending it back once fixed');
  const options = (command: Command, sinceRequired: boolean) => {
    command.requiredOption(
      '--topic <topic>',
      `the dead-letter topic (${Object.keys(DLQ_SOURCES).join(', ')})`,
      dlqTopic,
    );
    const since =
      'letters dead-lettered at or after this RFC 3339 instant (with its offset), or since 00:00 Moscow time of this date';
    if (sinceRequired) command.requiredOption('--since <instant>', since, sinceInstant);
    else command.option('--since <instant>', since, sinceInstant);
    return command
      .option('--reason <reason>', 'only letters of this reason (STORE_FAILED, UNDECODABLE, …)')
      .option(
        '--group <groupId>',
        "only letters this processor group dead-lettered (x-decided-by): one deployment's, where several share the broker",
      );
  };
  options(
    dlq
      .command('list')
      .description('print the dead letters, oldest first, and whether each was replayed'),
    false,
  ).action((opts: DlqOptions) =>
    withDatabase(env, async (db) => {
      const letters = await lettersOf(env, opts);
      const replayed = await new DlqReplayRepository(db).replayed(
        opts.topic,
        letters.map(({ message }) => message),
      );
      print({
        topic: opts.topic,
        since: opts.since?.toISOString() ?? null,
        count: letters.length,
        letters: letters.map(({ view }) => ({ ...view, replayed: replayed.has(place(view)) })),
      });
    }),
  );
  options(
    dlq
      .command('replay')
      .description(
        're-publish the dead letters to their source topics, each DLQ offset once (idempotent, audited)',
      ),
    true,
  ).action((opts: DlqOptions) =>
    withDatabase(env, async (db) => {
      print(await replay(env, db, actor, opts, await lettersOf(env, opts)));
    }),
  );
}
