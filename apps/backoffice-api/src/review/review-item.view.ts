import { toMoscowIso } from '@gw/domain';
import type { ReviewClaim, ReviewItem, ReviewItemDetail } from '../persistence/review.repository';
import type { ReviewClaimDto, ReviewDecisionDto, ReviewItemDto } from './review.dto';

/** A claim as operators see it: its end in Moscow time. */
export function reviewClaimView(claim: ReviewClaim): ReviewClaimDto;
export function reviewClaimView(claim: ReviewClaim | null): ReviewClaimDto | null;
export function reviewClaimView(claim: ReviewClaim | null): ReviewClaimDto | null {
  return claim && { by: claim.by, until: toMoscowIso(claim.until) };
}

/** A review item as the queue lists it (contract section 6), its times in Moscow time. */
export function reviewItemView(item: ReviewItem): ReviewItemDto {
  return {
    submissionId: item.submissionId,
    channel: item.channel,
    status: item.status,
    reasons: item.reasons,
    warnings: item.warnings,
    accountNumber: item.accountNumber,
    meterSerial: item.meterSerial,
    billingPeriod: item.billingPeriod,
    values: item.values,
    consumption: item.consumption,
    confidence: item.confidence,
    readAt: toMoscowIso(item.readAt),
    receivedAt: toMoscowIso(item.receivedAt),
    claim: reviewClaimView(item.claim),
  };
}

/** A review item with its slip image and the operator's decision, if there is one. */
export function reviewItemDetailView(item: ReviewItemDetail): ReviewItemDto & {
  imageRef: string | null;
  hasImage: boolean;
  decision: ReviewDecisionDto | null;
} {
  const { decision } = item;
  return {
    ...reviewItemView(item),
    imageRef: item.imageRef,
    hasImage: item.hasImage,
    decision: decision && {
      decision: decision.decision,
      decidedBy: decision.decidedBy,
      decidedAt: toMoscowIso(decision.decidedAt),
      comment: decision.comment,
      reviewReasons: decision.reviewReasons,
      submittedValues: decision.submittedValues,
      correctedValues: decision.correctedValues,
      swappedFromSerial: decision.swappedFromSerial,
    },
  };
}
