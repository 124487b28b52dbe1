import type { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { DlqMessage } from './dead-letter';

/** Reading a dead-letter topic to its end takes seconds; more means the broker is in trouble. */
const READ_TIMEOUT_MS = 60_000;

/**
 * Every message of `topic` written at or after `since` (all of them without it), up to the end the
 * topic had when the read began, in partition and offset order. Reads with a consumer group of its
 * own that commits nothing and is deleted afterwards, so no group's position moves.
 */
export async function readDeadLetters(
  kafka: Kafka,
  topic: string,
  since: Date | null,
): Promise<DlqMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `ctl-dlq-${randomUUID()}`;
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const starts = since
      ? await admin.fetchTopicOffsetsByTimestamp(topic, since.getTime())
      : ends.map((p) => ({ partition: p.partition, offset: p.low }));
    const ranges = new Map(
      starts.map(({ partition, offset }) => {
        const end = ends.find((e) => e.partition === partition);
        // fetchTopicOffsetsByTimestamp answers -1 (or the end) when nothing is that recent.
        const from = Number(offset) < 0 ? Number(end?.high) : Number(offset);
        return [partition, { from, end: Number(end?.high ?? 0) }];
      }),
    );
    const pending = [...ranges].filter(([, r]) => r.from < r.end);
    if (pending.length === 0) return [];
    const messages = await consumeRanges(kafka, groupId, topic, new Map(pending));
    return messages.sort(
      (a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset),
    );
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

async function consumeRanges(
  kafka: Kafka,
  groupId: string,
  topic: string,
  ranges: Map<number, { from: number; end: number }>,
): Promise<DlqMessage[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  const messages: DlqMessage[] = [];
  const left = new Set(ranges.keys());
  let finish!: () => void;
  const finished = new Promise<void>((done) => (finish = done));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const range = ranges.get(partition);
        const offset = Number(message.offset);
        if (!range || offset < range.from || offset >= range.end) return;
        messages.push({
          partition,
          offset: message.offset,
          timestamp: message.timestamp,
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
        });
        if (offset === range.end - 1) {
          left.delete(partition);
          if (left.size === 0) finish();
        }
      },
    });
    for (const [partition, { from }] of ranges)
      consumer.seek({ topic, partition, offset: String(from) });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      finished,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${topic}: not read to its end within ${READ_TIMEOUT_MS} ms`)),
          READ_TIMEOUT_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
