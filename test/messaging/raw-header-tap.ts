import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { eventually, startGroupAtEnd } from '../support/infra';

/** A message of a topic as Kafka holds it: headers in bytes, a repeated name as a list. */
export interface RawMessage {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

/**
 * Each header's values in hex, in order, so two messages' headers compare byte for byte: a name
 * given once, or as a list of one, is one value; text is its UTF-8 bytes, as kafkajs sends it.
 * kafkajs reads a name that Object.prototype has (`constructor`, …) with the inherited member
 * first, which is no value of the message.
 */
export function headerBytes(headers: IHeaders): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      [value ?? []]
        .flat()
        .filter((one) => typeof one === 'string' || Buffer.isBuffer(one))
        .map((one) => Buffer.from(one).toString('hex')),
    ]),
  );
}

/**
 * Records every message published to `topic` after `open`, with its headers exactly as read (the
 * shared `TopicTap` turns them into text, which is what the tests using this must not do).
 */
export class RawHeaderTap {
  readonly messages: RawMessage[] = [];

  private constructor(private readonly consumer: ReturnType<Kafka['consumer']>) {}

  static async open(kafka: Kafka, topic: string): Promise<RawHeaderTap> {
    const groupId = `raw-tap-${topic}-${process.env.E2E_RUN_ID}-${Math.random().toString(36).slice(2)}`;
    await startGroupAtEnd(kafka, groupId, topic);
    const tap = new RawHeaderTap(kafka.consumer({ groupId, maxWaitTimeInMs: 500 }));
    await tap.consumer.connect();
    await tap.consumer.subscribe({ topic, fromBeginning: true });
    await tap.consumer.run({
      eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) =>
        void tap.messages.push({
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
        }),
    });
    return tap;
  }

  /** The messages `select` picks, once there are `count` of them. */
  async waitFor(
    select: (message: RawMessage) => boolean,
    count = 1,
    timeoutMs = 30000,
  ): Promise<RawMessage[]> {
    return eventually(
      async () => this.messages.filter(select),
      (found) => found.length >= count,
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    await this.consumer.disconnect();
  }
}
