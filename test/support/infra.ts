import { DECIDED_BY_HEADER } from '@gw/contracts';
import { createKafka, type TopicReplication, topicReplication } from '@gw/messaging';
import { dataSourceOptions } from '@gw/persistence';
import { BaseEnv, loadConfig } from '@gw/platform';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';

/** Real Kafka and PostgreSQL of this e2e run (provisioned by the global setup). */
export function testKafka(clientId = 'e2e'): Kafka {
  return createKafka((process.env.KAFKA_BROKERS as string).split(','), clientId);
}

/** The topic replication this run's apps expect (one copy on the project's single broker). */
export function testReplication(): TopicReplication {
  return topicReplication(loadConfig(BaseEnv));
}

export async function testDatabase(): Promise<DataSource> {
  return new DataSource(dataSourceOptions(process.env.DATABASE_URL as string, 3)).initialize();
}

/** This run's own consumer group for an app, so parallel runs on one machine stay apart. */
export function testGroup(name: string): string {
  return `${name}-e2e-${process.env.E2E_RUN_ID}`;
}

/** Polls until `probe` returns a value accepted by `done`, or fails after `timeoutMs` with the last value. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value)) {
    if (Date.now() > deadline)
      throw new Error(
        `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await probe();
  }
  return value;
}

/** Waits until the app at `url` (an OS process of its own, starting) answers `/health/live`. */
export async function untilLive(url: string): Promise<void> {
  await eventually(
    () =>
      fetch(`${url}/health/live`).then(
        (r) => r.status,
        () => 0,
      ),
    (status) => status === 200,
    60_000,
    200,
  );
}

/** Backends of this run's database waiting for a lock while running a statement like `pattern`. */
export async function lockWaiters(db: DataSource, pattern: string): Promise<number> {
  const [{ n }] = await db.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
    [pattern],
  );
  return n;
}

export interface TappedMessage {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/**
 * Records every message published to a topic after `open` (a group of its own), so a test can
 * wait for the ones it caused.
 */
export class TopicTap {
  readonly messages: TappedMessage[] = [];
  private readonly consumer;
  private readonly groupId: string;

  private constructor(
    kafka: Kafka,
    readonly topic: string,
  ) {
    this.groupId = `tap-${topic}-${process.env.E2E_RUN_ID}-${Math.random().toString(36).slice(2)}`;
    this.consumer = kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 500 });
  }

  static async open(kafka: Kafka, topic: string): Promise<TopicTap> {
    const tap = new TopicTap(kafka, topic);
    await startGroupAtEnd(kafka, tap.groupId, topic);
    await tap.consumer.connect();
    await tap.consumer.subscribe({ topic, fromBeginning: true });
    await tap.consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        tap.messages.push({
          key: message.key?.toString() ?? null,
          value: message.value,
          headers,
          partition,
          offset: message.offset,
        });
      },
    });
    return tap;
  }

  /**
   * Messages, leaving out those decided by processors of other test runs that share the broker
   * (their groups carry another run id).
   */
  ours(): TappedMessage[] {
    const run = `-e2e-${process.env.E2E_RUN_ID}`;
    return this.messages.filter((m) => (m.headers[DECIDED_BY_HEADER] ?? run).endsWith(run));
  }

  /**
   * Decoded values, leaving out outcomes decided by processors of other test runs that share the
   * broker (their groups carry another run id).
   */
  json<T>(): T[] {
    return this.ours()
      .filter((m) => m.value)
      .map((m) => JSON.parse((m.value as Buffer).toString()) as T);
  }

  async waitFor<T>(select: (items: T[]) => T[], count: number, timeoutMs = 30000): Promise<T[]> {
    return eventually(
      async () => select(this.json<T>()),
      (found) => found.length >= count,
      timeoutMs,
    );
  }

  /** The one message of ours (an outcome) about `submissionId`, once it has been published. */
  async messageAbout(submissionId: string): Promise<TappedMessage> {
    const [found] = await eventually(
      async () =>
        this.ours().filter((m) => m.value?.toString().includes(`"submissionId":"${submissionId}"`)),
      (all) => all.length === 1,
    );
    return found;
  }

  async close(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** Messages of `topic` the group has not committed yet, over all partitions. */
export async function groupLag(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const at = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
    return ends.reduce((sum, p) => sum + Number(p.high) - Math.max(0, at.get(p.partition) ?? 0), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Starts a new consumer group at the current end of `topic`, so a run on a long-lived broker does
 * not first replay what earlier runs published. Call before the group's consumer first joins.
 */
export async function startGroupAtEnd(kafka: Kafka, groupId: string, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
    });
  } finally {
    await admin.disconnect();
  }
}
