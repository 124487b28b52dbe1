import type { Channel } from './codes';
import { uuidV5 } from './uuid';

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
  return uuidV5(SUBMISSION_NAMESPACE, JSON.stringify([channel, sourceId, sourceRef, meterSerial]));
}
