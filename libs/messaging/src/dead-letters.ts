import { Logger } from '@nestjs/common';
import { DLQ_HEADERS } from '@gw/contracts';
import type { InboundBatch, InboundMessage } from './inbound-batch';
import type { IsolatedFailure } from './isolate-failures';
import type { KafkaPublisher } from './kafka-publisher';

export interface DeadLetter {
  message: InboundMessage;
  /** The `x-error` header. */
  error: string;
  /** The `x-error-reason` header. */
  reason: string;
}

const logger = new Logger('DeadLetters');

/**
 * Sends messages that cannot be handled to a dead-letter topic: the original key (its bytes, or
 * none) and value, the headers, plus `x-error`, `x-error-reason` and where they came from, so the
 * partition keeps flowing.
 */
export async function deadLetter(
  publisher: KafkaPublisher,
  dlqTopic: string,
  batch: InboundBatch,
  letters: DeadLetter[],
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  if (letters.length === 0) return;
  for (const { message, error, reason } of letters) {
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
    letters.map(({ message, error, reason }) => ({
      key: message.key,
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

/** The text of an error for `x-error`: its message, and its code when it has one (a SQLSTATE from PostgreSQL). */
export function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.message} (code ${code})` : error.message;
}

/**
 * Dead letters for messages that could not be stored: `x-error-reason: STORE_FAILED`, where
 * contract section 2 puts it, and the error's text in `x-error`.
 */
export function storeFailedLetters<T>(
  failures: IsolatedFailure<T>[],
  messageOf: (item: T) => InboundMessage,
): DeadLetter[] {
  return failures.map(({ item, error }) => ({
    message: messageOf(item),
    error: failureText(error),
    reason: 'STORE_FAILED',
  }));
}
