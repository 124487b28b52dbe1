import { DLQ_HEADERS, TOPICS } from '@gw/contracts';
import { headerText, ORIGINAL_OMITTED_HEADER, writableHeaders } from '@gw/messaging';
import type { IHeaders } from 'kafkajs';

/** The dead-letter topics `ctl dlq` reads, with the topic each one's letters came from. */
export const DLQ_SOURCES: Record<string, string> = {
  [TOPICS.submittedDlq]: TOPICS.submitted,
  [TOPICS.partnerReadingsDlq]: TOPICS.partnerReadings,
};

/** Where a replayed message came from, on the message itself: a second dead-lettering shows it. */
export const REPLAYED_FROM_HEADER = 'x-replayed-from';

/** `x-error` values that name the problem themselves; the detail is then in `x-error-reason`. */
const SELF_NAMED = new Set(['UNDECODABLE', 'MALFORMED']);

/** Headers the dead-lettering added; a replay sends the message with its own headers only. */
const ADDED_HEADERS = new Set<string>([
  DLQ_HEADERS.error,
  DLQ_HEADERS.reason,
  'x-original-topic',
  'x-original-partition',
  'x-original-offset',
  'x-decided-by',
  ORIGINAL_OMITTED_HEADER,
  REPLAYED_FROM_HEADER,
]);

/** One message of a dead-letter topic, as read. */
export interface DlqMessage {
  partition: number;
  offset: string;
  /** Milliseconds since the epoch, as Kafka stamped it when the letter was written. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  /** As Kafka holds them: bytes, a repeated name as a list. */
  headers: IHeaders;
}

/** What an operator needs to know about a dead letter, without its bytes. */
export interface DeadLetterView {
  partition: number;
  offset: string;
  deadLetteredAt: string;
  /** `UNDECODABLE`, `MALFORMED`, `STORE_FAILED`, …: why it is here. */
  reason: string;
  /** The error's text or the decoder's complaint. */
  detail: string;
  source: { topic: string; partition: number | null; offset: string | null };
  key: string | null;
  submissionId: string | null;
  replayedFrom: string | null;
  /**
   * Why the letter went without the original message (`x-original-omitted`: it was too large for
   * the DLQ), or null when it carries it. Such a letter is never replayed.
   */
  originalOmitted: string | null;
}

/**
 * Reads the two layouts of contract section 2: undecodable and malformed messages carry
 * `x-error: UNDECODABLE | MALFORMED` with the problem in `x-error-reason`; messages that could not
 * be stored carry `x-error-reason: STORE_FAILED` with the error's text in `x-error`.
 */
export function viewDeadLetter(dlqTopic: string, message: DlqMessage): DeadLetterView {
  const header = (name: string) => headerText(message.headers, name);
  const error = header(DLQ_HEADERS.error) ?? '';
  const reasonHeader = header(DLQ_HEADERS.reason) ?? '';
  const selfNamed = SELF_NAMED.has(error);
  const partition = Number(header('x-original-partition'));
  return {
    partition: message.partition,
    offset: message.offset,
    deadLetteredAt: new Date(Number(message.timestamp)).toISOString(),
    reason: (selfNamed ? error : reasonHeader) || 'UNKNOWN',
    detail: selfNamed ? reasonHeader : error,
    source: {
      topic: sourceTopic(dlqTopic, message),
      partition: Number.isInteger(partition) ? partition : null,
      offset: header('x-original-offset') ?? null,
    },
    key: message.key?.toString('utf8') ?? null,
    submissionId: submissionIdOf(message.value),
    replayedFrom: header(REPLAYED_FROM_HEADER) ?? null,
    originalOmitted: header(ORIGINAL_OMITTED_HEADER) ?? null,
  };
}

/** The topic a letter goes back to: where it came from, as the letter says or as the DLQ implies. */
export function sourceTopic(dlqTopic: string, message: DlqMessage): string {
  return headerText(message.headers, 'x-original-topic') ?? DLQ_SOURCES[dlqTopic];
}

/**
 * The message as it was first published, its own headers byte for byte (a repeated one with all
 * its values), marked with the DLQ place it is replayed from. Not for a letter whose original was
 * omitted: its empty value is no message.
 */
export function replayOf(dlqTopic: string, message: DlqMessage) {
  const headers: IHeaders = Object.fromEntries(
    Object.entries(writableHeaders(message.headers)).filter(([name]) => !ADDED_HEADERS.has(name)),
  );
  headers[REPLAYED_FROM_HEADER] = `${dlqTopic}/${message.partition}/${message.offset}`;
  return {
    topic: sourceTopic(dlqTopic, message),
    key: message.key,
    value: message.value ?? Buffer.alloc(0),
    headers,
  };
}

function submissionIdOf(value: Buffer | null): string | null {
  try {
    const id = (JSON.parse(value?.toString('utf8') ?? '') as { submissionId?: unknown })
      ?.submissionId;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}
