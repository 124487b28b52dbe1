import type { Transaction } from '@gw/persistence';
import { NotFoundError, ReviewClaimedError, ReviewDecidedError } from '../backoffice.errors';
import type {
  LockedReviewItem,
  ReviewClaim,
  ReviewItemDetail,
  ReviewRepository,
} from '../persistence/review.repository';
import { reviewClaimView } from './review-item.view';

/**
 * A review item as it is now, before a decision is prepared outside any transaction: unknown ids
 * are not found, a decided item is a conflict, and so is an item another operator holds.
 */
export async function findOpenItem(
  review: ReviewRepository,
  submissionId: string,
  login: string,
): Promise<ReviewItemDetail> {
  const current = await review.findItem(submissionId);
  if (!current) throw new NotFoundError(`review item ${submissionId}`);
  if (current.status !== 'needs_review') throw new ReviewDecidedError(submissionId);
  refuseIfHeldByOther(current.claim, login);
  return current;
}

/**
 * Locks a review item that is still open and, unless `login` is null, not held by another
 * operator. An unknown id and a reading that never went to review are not found; a decided item is
 * a conflict, and so is one that was open when the lock was asked for and left review without an
 * operator's decision while it was waited for: a revalidation decided the reading again.
 */
export async function lockOpenItem(
  review: ReviewRepository,
  tx: Transaction,
  submissionId: string,
  login: string | null,
): Promise<LockedReviewItem> {
  const item = await review.lockItem(tx, submissionId);
  if (!item) throw new NotFoundError(`review item ${submissionId}`);
  if (item.status !== 'needs_review') {
    if (item.decided) throw new ReviewDecidedError(submissionId);
    if (item.wasOpen) throw new ReviewDecidedError(submissionId, 'revalidation');
    throw new NotFoundError(`review item ${submissionId}`);
  }
  if (login !== null) refuseIfHeldByOther(item.claim, login);
  return item;
}

/** Refuses an item that an operator other than `login` holds: a conflict naming the holder. */
export function refuseIfHeldByOther(claim: ReviewClaim | null, login: string): void {
  if (claim && claim.by !== login) {
    const { by, until } = reviewClaimView(claim);
    throw new ReviewClaimedError(by, until);
  }
}

/** What the audit log keeps of a reading's decision, before and after an operator's action. */
export function decisionSnapshot(reading: {
  status: string;
  reasons: string[];
  warnings: string[];
  billingPeriod: string | null;
  consumption: { zone: string; value: string }[];
}) {
  return {
    status: reading.status,
    reasons: reading.reasons,
    warnings: reading.warnings,
    billingPeriod: reading.billingPeriod,
    consumption: reading.consumption,
  };
}
