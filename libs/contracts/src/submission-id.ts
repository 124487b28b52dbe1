import { hash } from 'node:crypto';
import type { Channel } from './codes';

/** Fixed namespace of the gateway's name-based (RFC 9562 version 5) submission ids. Never change it. */
const SUBMISSION_NAMESPACE = Buffer.from('6f1c2d8e9a4b4c7e8d2f1a3b5c7d9e0f', 'hex');

export interface SubmissionIdentity {
  channel: Channel;
  sourceId: string;
  sourceRef: string;
  meterSerial: string;
}

/**
 * The submission id is a pure function of where a reading came from, so a retry through any
 * adapter carries the same id and the processor stores it at most once.
 */
export function submissionId({
  channel,
  sourceId,
  sourceRef,
  meterSerial,
}: SubmissionIdentity): string {
  const name = Buffer.from(JSON.stringify([channel, sourceId, sourceRef, meterSerial]), 'utf8');
  // One-shot hashing: this runs for every reading of every batch.
  const digest = hash('sha1', Buffer.concat([SUBMISSION_NAMESPACE, name]), 'buffer');
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
