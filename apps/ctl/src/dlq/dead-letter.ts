import { DLQ_HEADERS, TOPICS } from '@gw/contracts';

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
  headers: Record<string, string>;
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
}

/**
 * Reads the two layouts of contract section 2: undecodable and malformed messages carry
 * `x-error: UNDECODABLE | MALFORMED` with the problem in `x-error-reason`; messages that could not
 * be stored carry `x-error-reason: STORE_FAILED` with the error's text in `x-error`.
 */
export function viewDeadLetter(dlqTopic: string, message: DlqMessage): DeadLetterView {
  const error = message.headers[DLQ_HEADERS.error] ?? '';
  const reasonHeader = message.headers[DLQ_HEADERS.reason] ?? '';
  const selfNamed = SELF_NAMED.has(error);
  const partition = Number(message.headers['x-original-partition']);
  return {
    partition: message.partition,
    offset: message.offset,
    deadLetteredAt: new Date(Number(message.timestamp)).toISOString(),
    reason: (selfNamed ? error : reasonHeader) || 'UNKNOWN',
    detail: selfNamed ? reasonHeader : error,
    source: {
      topic: sourceTopic(dlqTopic, message),
      partition: Number.isInteger(partition) ? partition : null,
      offset: message.headers['x-original-offset'] ?? null,
    },
    key: message.key?.toString('utf8') ?? null,
    submissionId: submissionIdOf(message.value),
    replayedFrom: message.headers[REPLAYED_FROM_HEADER] ?? null,
  };
}

/** The topic a letter goes back to: where it came from, as the letter says or as the DLQ implies. */
export function sourceTopic(dlqTopic: string, message: DlqMessage): string {
  return message.headers['x-original-topic'] ?? DLQ_SOURCES[dlqTopic];
}

/** The message as it was first published, marked with the DLQ place it is replayed from. */
export function replayOf(dlqTopic: string, message: DlqMessage) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers))
    if (!ADDED_HEADERS.has(name)) headers[name] = value;
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
