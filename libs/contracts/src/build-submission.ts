import type { Channel } from './codes';
import { submissionId } from './submission-id';
import { SUBMISSION_SCHEMA, type SubmissionMessage } from './submission.message';

export interface SubmissionDraft {
  channel: Channel;
  sourceId: string;
  sourceRef: string;
  accountNumber: string;
  meterSerial: string;
  values: { zone: string; value: string }[];
  readAt: string;
  receivedAt: string;
  confidence?: number | null;
}

/** Values on the wire use a dot; channels that accept a decimal comma normalise here. */
export function normaliseDecimal(value: string): string {
  return value.trim().replace(',', '.');
}

/** RFC 3339 as section 5.6 writes it: `T` and `Z` may be lower case, a fraction may have any length. */
const ANY_RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Timestamps on the wire have `T` and `Z` and at most nine fraction digits (what `isTimestamp`
 * decodes); channels that accept any RFC 3339 text normalise here. Digits past the ninth are cut:
 * the checks and the database use milliseconds. Text of another form is returned as it is.
 */
export function normaliseTimestamp(text: string): string {
  const m = ANY_RFC3339.exec(text);
  return m ? `${m[1]}T${m[2]}${(m[3] ?? '').slice(0, 10)}${m[4].toUpperCase()}` : text;
}

/** The canonical message an adapter publishes for one meter, with its deterministic id. */
export function buildSubmission(draft: SubmissionDraft): SubmissionMessage {
  return {
    schema: SUBMISSION_SCHEMA,
    submissionId: submissionId(draft),
    channel: draft.channel,
    source: { id: draft.sourceId, ref: draft.sourceRef },
    accountNumber: draft.accountNumber,
    meterSerial: draft.meterSerial,
    values: draft.values.map(({ zone, value }) => ({ zone, value: normaliseDecimal(value) })),
    readAt: normaliseTimestamp(draft.readAt),
    receivedAt: normaliseTimestamp(draft.receivedAt),
    confidence: draft.confidence ?? null,
  };
}

/** A submission as a Kafka record: keyed by account number, so one account's readings keep their order. */
export interface EncodedSubmission {
  key: string;
  value: string;
}

export function encodeSubmission(submission: SubmissionMessage): EncodedSubmission {
  return { key: submission.accountNumber, value: JSON.stringify(submission) };
}
