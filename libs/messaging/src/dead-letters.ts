import { Logger } from '@nestjs/common';
import { DLQ_HEADERS } from '@gw/contracts';
import type { IHeaders } from 'kafkajs';
import type { InboundBatch, InboundMessage } from './inbound-batch';
import type { IsolatedFailure } from './isolate-failures';
import { type KafkaPublisher, MessageTooLargeError, type OutgoingMessage } from './kafka-publisher';
import { messageBytes } from './message-chunks';

export interface DeadLetter {
  message: InboundMessage;
  /** The `x-error` header. */
  error: string;
  /** The `x-error-reason` header. */
  reason: string;
}

const logger = new Logger('DeadLetters');

/**
 * The most bytes of `x-error` and of `x-error-reason` a letter carries: the dead-letter topics'
 * headroom over their source topics (see `topic-admin`) holds the added headers only while the
 * error's text is short.
 */
export const ERROR_TEXT_MAX_BYTES = 4096;

const CUT_MARK = ' […]';

/** `text` cut to `ERROR_TEXT_MAX_BYTES` of UTF-8 on a character boundary, marked where cut. */
export function errorHeaderText(text: string): string {
  if (Buffer.byteLength(text) <= ERROR_TEXT_MAX_BYTES) return text;
  const kept = Buffer.from(text).subarray(0, ERROR_TEXT_MAX_BYTES - Buffer.byteLength(CUT_MARK));
  // A character split by the cut decodes as U+FFFD, which may take more bytes than its part did.
  return kept.toString('utf8').replace(/\uFFFD+$/, '') + CUT_MARK;
}

/** On a letter sent without the original message, which made it too large for its topic: why. */
export const ORIGINAL_OMITTED_HEADER = 'x-original-omitted';

/**
 * The values of header `name` as they were sent. kafkajs gathers a message's headers into a plain
 * object and takes a name it finds there already for a repeated header, so a name that
 * `Object.prototype` has (`constructor`, `toString`, `__proto__`, …) comes as `[the inherited
 * member, value, …]`; the member is no value of the message and could not be sent.
 */
function sentValues(name: string, value: IHeaders[string]): IHeaders[string] {
  const member: unknown = ({} as Record<string, unknown>)[name];
  if (member === undefined || !Array.isArray(value) || value[0] !== member) return value;
  const values = value.slice(1);
  return values.length === 1 ? values[0] : values;
}

/**
 * The headers, byte for byte and a repeated name with all its values, as kafkajs can send them
 * again: it reads a header that has no value at all (a null one, which other clients can write)
 * but cannot write one, so such a value goes empty rather than failing the send.
 */
export function writableHeaders(headers: IHeaders): IHeaders {
  const written = (value: Buffer | string | null | undefined) => value ?? Buffer.alloc(0);
  return Object.fromEntries(
    Object.entries(headers).map(([name, read]) => {
      const value = sentValues(name, read);
      return [name, Array.isArray(value) ? value.map(written) : written(value)];
    }),
  );
}

/**
 * Sends messages that cannot be handled to a dead-letter topic: the original key (its bytes, or
 * none) and value, the headers as they came (see `writableHeaders`), plus `x-error`,
 * `x-error-reason` and where they came from, so the partition keeps flowing. A letter its topic
 * refuses as too large (the topic takes less than the source topic did, plus the added headers)
 * goes without the original value and headers instead, saying so in `x-original-omitted`: the
 * original can still be read where it came from.
 */
export async function deadLetter(
  publisher: KafkaPublisher,
  dlqTopic: string,
  batch: InboundBatch,
  letters: DeadLetter[],
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  if (letters.length === 0) return;
  letters = letters.map(({ message, error, reason }) => ({
    message,
    error: errorHeaderText(error),
    reason: errorHeaderText(reason),
  }));
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
  // A call per letter: the publisher still sends them together, and a refusal names the letter.
  // Every send settles before a failure is thrown, so a retry of the batch overlaps none of them.
  const sent = await Promise.allSettled(
    letters.map(async ({ message, error, reason }) => {
      const added: Record<string, string> = {
        [DLQ_HEADERS.error]: error,
        [DLQ_HEADERS.reason]: reason,
        'x-original-topic': batch.topic,
        'x-original-partition': String(batch.partition),
        'x-original-offset': message.offset,
        ...extraHeaders,
      };
      const letter: OutgoingMessage = {
        key: message.key,
        value: message.value ?? Buffer.alloc(0),
        headers: { ...writableHeaders(message.headers), ...added },
      };
      const bytes = messageBytes(letter);
      await publishFirstTaken(publisher, dlqTopic, [
        () => letter,
        () => {
          logger.warn({
            msg: 'dead letter too large for its topic; sent without the original',
            dlqTopic,
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            bytes,
          });
          return withoutOriginal(dlqTopic, bytes, letter, added, true);
        },
        // A key can be as large as a value (a compressed record's, larger than the topic takes
        // uncompressed): then the letter goes without the key too, or the partition would stop.
        () => withoutOriginal(dlqTopic, bytes, letter, added, false),
      ]);
    }),
  );
  const failed = sent.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Publishes the first of `letters` that `topic` takes: the next is made and sent only when the one
 * before is refused as too large. Any other failure, or the last letter's refusal, is thrown.
 */
async function publishFirstTaken(
  publisher: KafkaPublisher,
  topic: string,
  letters: (() => OutgoingMessage)[],
): Promise<void> {
  for (const [i, next] of letters.entries()) {
    try {
      return await publisher.publish(topic, [next()]);
    } catch (refusal) {
      if (!(refusal instanceof MessageTooLargeError) || i === letters.length - 1) throw refusal;
    }
  }
}

/** The letter with the dead-letter headers alone (and its key, or none), and `x-original-omitted` saying why. */
function withoutOriginal(
  dlqTopic: string,
  bytes: number,
  letter: OutgoingMessage,
  added: Record<string, string>,
  withKey: boolean,
): OutgoingMessage {
  const left = withKey ? 'value and headers' : 'key, value and headers';
  const omitted = `the letter of ${bytes} bytes was too large for ${dlqTopic}: its original ${left} are left out; read them at x-original-topic, x-original-partition, x-original-offset`;
  return {
    key: withKey ? letter.key : null,
    value: Buffer.alloc(0),
    headers: { ...added, [ORIGINAL_OMITTED_HEADER]: omitted },
  };
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
