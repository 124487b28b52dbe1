import { type ReasonCode, REJECTION_CODES, REVIEW_CODES, type ReviewCode } from '@gw/contracts';
import {
  afterAccepted,
  decideReading,
  type MeterFacts,
  type ReadingDecision,
  type ReadingFacts,
  type ReadingInput,
  type ReadingPolicy,
} from './reading-decision';

/** What an approval does with the rules' fresh verdict on the reading. */
export type ApprovalResult =
  { ok: true; decision: ReadingDecision } | { ok: false; reasons: ReasonCode[] };

const isReviewCode = (code: ReasonCode): code is ReviewCode =>
  (REVIEW_CODES as readonly string[]).includes(code);

/**
 * An operator's approval of a reading the rules decided afresh (with corrected values, or as it
 * was against the meter's current state). The review triggers (CONSUMPTION_SPIKE, LOW_CONFIDENCE)
 * are exactly what the operator vouches for, so they no longer hold the reading back; any rejection
 * still rejects, and the approval is refused with its reasons.
 */
export function approveDecision(redecided: ReadingDecision): ApprovalResult {
  if (redecided.status === 'rejected') return { ok: false, reasons: redecided.reasons };
  if (redecided.status !== 'needs_review') return { ok: true, decision: redecided };
  const left = redecided.reasons.filter((code) => !isReviewCode(code));
  if (left.length > 0) return { ok: false, reasons: left };
  return { ok: true, decision: { ...redecided, status: 'accepted', reasons: [] } };
}

/** Codes an operator may give when rejecting: any code of contract section 3, in its order. */
export const OPERATOR_REJECTION_CODES: readonly ReasonCode[] = [
  ...REJECTION_CODES,
  ...REVIEW_CODES,
];

/**
 * The reasons a rejected review item's outcome carries: the codes the operator chose, or, when the
 * operator chose none, the review triggers that sent it to review (the operator confirmed them).
 */
export function rejectionReasons(
  reviewReasons: ReasonCode[],
  chosen: ReasonCode[] | undefined,
): ReasonCode[] {
  const picked = chosen && chosen.length > 0 ? chosen : reviewReasons;
  return OPERATOR_REJECTION_CODES.filter((code) => picked.includes(code));
}

/** A stored reading to decide again. */
export interface StoredReading {
  submissionId: string;
  input: ReadingInput;
}

export interface Redecision {
  submissionId: string;
  decision: ReadingDecision;
}

/**
 * Decides stored readings of one meter again, oldest first, each seeing the readings accepted
 * before it (as the processor does within a batch). Used after a new verification, for readings
 * that were rejected only because the old one had expired.
 */
export function redecideReadings(
  readings: StoredReading[],
  facts: ReadingFacts & { meter: MeterFacts },
  policy: ReadingPolicy,
): Redecision[] {
  const ordered = [...readings].sort((a, b) => a.input.readAt.getTime() - b.input.readAt.getTime());
  let state = facts.state;
  return ordered.map(({ submissionId, input }) => {
    const decision = decideReading(input, { ...facts, state }, policy);
    if (decision.status === 'accepted') state = afterAccepted(state, input.readAt, decision);
    return { submissionId, decision };
  });
}
