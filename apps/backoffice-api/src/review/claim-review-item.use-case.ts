import { Inject, Injectable } from '@nestjs/common';
import { AuditLogRepository, TransactionRunner } from '@gw/persistence';
import { hasRole } from '../auth/operator-role';
import type { OperatorPrincipal } from '../auth/operator-tokens';
import { BACKOFFICE_ENV, type BackofficeEnv } from '../backoffice.env';
import { NotClaimedError } from '../backoffice.errors';
import { ReviewRepository } from '../persistence/review.repository';
import { lockOpenItem } from './open-review-item';
import { reviewClaimView } from './review-item.view';
import type { ClaimResultDto } from './review.dto';

/**
 * Claims keep two operators off one item: a claim holds for BACKOFFICE_CLAIM_TTL_SECONDS (taking
 * it again extends it), another operator's claim answers 409 until it is released, decided or runs
 * out. Both run under the item's row lock, so of two simultaneous claims exactly one wins.
 */
@Injectable()
export class ClaimReviewItemUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly review: ReviewRepository,
    private readonly audit: AuditLogRepository,
    @Inject(BACKOFFICE_ENV) private readonly env: BackofficeEnv,
  ) {}

  claim(submissionId: string, operator: OperatorPrincipal): Promise<ClaimResultDto> {
    return this.transactions.run(async (tx) => {
      const item = await lockOpenItem(this.review, tx, submissionId, operator.login);
      const claim = reviewClaimView(
        await this.review.claim(
          tx,
          submissionId,
          operator.login,
          this.env.BACKOFFICE_CLAIM_TTL_SECONDS,
        ),
      );
      await this.audit.append(tx, {
        login: operator.login,
        role: operator.role,
        action: 'review.claim',
        subject: `review:${submissionId}`,
        before: { claim: reviewClaimView(item.claim) },
        after: { claim },
      });
      return { submissionId, claim };
    });
  }

  /** Gives the item back; supervisors and admins may also free another operator's claim. */
  release(submissionId: string, operator: OperatorPrincipal): Promise<void> {
    return this.transactions.run(async (tx) => {
      const item = await lockOpenItem(this.review, tx, submissionId, null);
      const mayFree =
        item.claim !== null &&
        (item.claim.by === operator.login || hasRole(operator.role, 'supervisor'));
      if (!mayFree) throw new NotClaimedError(submissionId);
      await this.review.release(tx, submissionId);
      await this.audit.append(tx, {
        login: operator.login,
        role: operator.role,
        action: 'review.release',
        subject: `review:${submissionId}`,
        before: { claim: reviewClaimView(item.claim) },
        after: { claim: null },
      });
    });
  }
}
