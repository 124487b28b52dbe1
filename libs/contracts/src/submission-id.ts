import { hash } from 'node:crypto';
import type { Channel } from './codes';

/** Fixed namespace of the gateway's name-based (RFC 9562 version 5) submission ids. Never change it. */
const SUBMISSION_NAMESPACE = Buffer.from('6f1c2d8e9a4b4c7e8d2f1a3b5c7d9e0f', 'hex');

/** A hex digit d as (d & 0b0011) | 0b1000: the variant's digit. */
const VARIANT_DIGIT = '89ab89ab89ab89ab';

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
  const name = JSON.stringify([channel, sourceId, sourceRef, meterSerial]);
  const data = Buffer.allocUnsafe(SUBMISSION_NAMESPACE.length + Buffer.byteLength(name));
  SUBMISSION_NAMESPACE.copy(data);
  data.write(name, SUBMISSION_NAMESPACE.length);
  // One-shot hashing straight to hex: this runs for every reading of every batch.
  const hex = hash('sha1', data, 'hex');
  // The version nibble becomes 5, and the variant's two top bits 10 (RFC 9562, sections 5.5 and 4.1).
  const variant = VARIANT_DIGIT[parseInt(hex[16], 16)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
