import { TOPICS } from '@gw/contracts';
import type { Consumer, Kafka } from 'kafkajs';
import { eventually } from '../../support/infra';

/**
 * Counts the submissions of given sources published to `meter-readings.submitted.v1` after the
 * tap opened. It starts at the topic's end (the shared topic holds every run's history), and
 * `settle()` waits until it has read everything published up to that moment, so "seen once"
 * also means "not published twice".
 */
export class SubmittedTap {
  private readonly seen = new Map<string, number>();
  private readonly position = new Map<number, bigint>();

  private constructor(
    private readonly kafka: Kafka,
    private readonly consumer: Consumer,
    private readonly sourceIds: Set<string>,
  ) {}

  static async open(kafka: Kafka, sourceIds: string[]): Promise<SubmittedTap> {
    const groupId = `tap-terminal-${process.env.E2E_RUN_ID}-${Math.random().toString(36).slice(2)}`;
    // The group starts where the topic ends now: its offsets are set before it has a member.
    const admin = kafka.admin();
    await admin.connect();
    const start = await admin.fetchTopicOffsets(TOPICS.submitted);
    await admin.setOffsets({
      groupId,
      topic: TOPICS.submitted,
      partitions: start.map((p) => ({ partition: p.partition, offset: p.high })),
    });
    await admin.disconnect();
    const consumer = kafka.consumer({ groupId });
    const tap = new SubmittedTap(kafka, consumer, new Set(sourceIds));
    for (const p of start) tap.position.set(p.partition, BigInt(p.high));
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.submitted });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        tap.position.set(partition, BigInt(message.offset) + 1n);
        const value = JSON.parse(message.value?.toString() ?? '{}');
        if (tap.sourceIds.has(value.source?.id))
          tap.seen.set(value.submissionId, (tap.seen.get(value.submissionId) ?? 0) + 1);
      },
    });
    return tap;
  }

  /** Waits until every message published so far has been read. */
  async settle(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(TOPICS.submitted);
    await admin.disconnect();
    await eventually(
      async () => ends.every((p) => (this.position.get(p.partition) ?? 0n) >= BigInt(p.high)),
      (done) => done,
    );
  }

  /** How many times each submission was published. */
  count(submissionId: string): number {
    return this.seen.get(submissionId) ?? 0;
  }

  async close(): Promise<void> {
    await this.consumer.disconnect();
  }
}
