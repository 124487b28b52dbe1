import { Logger } from '@nestjs/common';
import { DLQ_HEADERS } from '@gw/contracts';
import type { InboundBatch, InboundMessage } from './inbound-batch';
import type { KafkaPublisher } from './kafka-publisher';

export interface DeadLetter {
  message: InboundMessage;
  /** What was wrong, in words (the `x-error-reason` header). */
  reason: string;
}

const logger = new Logger('DeadLetters');

/**
 * Sends messages that cannot be handled to a dead-letter topic: original key, bytes and headers,
 * plus `x-error`, `x-error-reason` and where they came from, so the partition keeps flowing.
 */
export async function deadLetter(
  publisher: KafkaPublisher,
  dlqTopic: string,
  batch: InboundBatch,
  letters: DeadLetter[],
  error: string,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  if (letters.length === 0) return;
  for (const { message, reason } of letters) {
    logger.warn({
      msg: 'dead-lettered',
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      error,
      reason,
    });
  }
  await publisher.publish(
    dlqTopic,
    letters.map(({ message, reason }) => ({
      key: message.key?.toString('utf8') ?? '',
      value: message.value ?? Buffer.alloc(0),
      headers: {
        ...message.headers,
        [DLQ_HEADERS.error]: error,
        [DLQ_HEADERS.reason]: reason,
        'x-original-topic': batch.topic,
        'x-original-partition': String(batch.partition),
        'x-original-offset': message.offset,
        ...extraHeaders,
      },
    })),
  );
}
