import type { Channel } from './codes';
import { submissionId } from './submission-id';
import {
  normaliseTimestamp,
  SUBMISSION_SCHEMA,
  type SubmissionMessage,
} from './submission.message';

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
