import { Injectable } from '@nestjs/common';
import { normaliseDecimal, type OutcomeMessage, type ReasonCode } from '@gw/contracts';
import {
  approveDecision,
  type ReadingDecision,
  readingOutcome,
  rejectionReasons,
} from '@gw/domain';
import {
  AuditLogRepository,
  OutcomeOutboxRepository,
  ReadingRevisionRepository,
  type Transaction,
  TransactionRunner,
} from '@gw/persistence';
import { counter } from '@gw/platform';
import { OutcomeRelay, ReadingRules } from '@gw/runtime';
import type { OperatorPrincipal } from '../auth/operator-tokens';
import { ConcurrentChangeError, RevalidationFailedError } from '../backoffice.errors';
import { type LockedReviewItem, ReviewRepository } from '../persistence/review.repository';
import { decisionSnapshot, findOpenItem, lockOpenItem } from './open-review-item';
import { reviewClaimView } from './review-item.view';
import type { ReviewDecisionResultDto, ZoneValueInputDto } from './review.dto';

const decisions = counter('backoffice_review_decisions_total', 'Review decisions by kind', [
  'decision',
]);

type ZoneValues = { zone: string; value: string }[];

/**
 * Run in a decision's transaction once the item is locked, before anything is written; what it
 * throws leaves the item as it was. A bulk decision checks there that the session still holds.
 */
export type DecisionCheck = (tx: Transaction) => Promise<void>;

/**
 * An operator's decision on a review item. The reading's row, the decision record, the audit entry
 * and the outcome (in the outbox) are written in one transaction under the item's row lock; the
 * outcome is then published to Kafka before the answer. If Kafka does not acknowledge, the decision
 * stands and the outbox relay publishes the outcome later (`outcomePublished: false`).
 */
@Injectable()
export class DecideReviewItemUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly review: ReviewRepository,
    private readonly revisions: ReadingRevisionRepository,
    private readonly outbox: OutcomeOutboxRepository,
    private readonly audit: AuditLogRepository,
    private readonly rules: ReadingRules,
    private readonly relay: OutcomeRelay,
  ) {}

  /**
   * Accepts the reading, with corrected values or as submitted. Either way the processing rules
   * decide it again against the meter's current state: the review triggers are what the operator
   * vouches for, any rejection (a typo in a corrected value, a later reading accepted meanwhile)
   * refuses the approval with 422 and leaves the item open.
   */
  async approve(
    submissionId: string,
    body: { values?: ZoneValueInputDto[]; comment: string },
    operator: OperatorPrincipal,
    check?: DecisionCheck,
  ): Promise<ReviewDecisionResultDto> {
    const corrected: ZoneValues | null =
      body.values?.map(({ zone, value }) => ({ zone, value: normaliseDecimal(value) })) ?? null;
    const result = await this.transactions.decideThenWrite(
      async () => {
        const current = await findOpenItem(this.review, submissionId, operator.login);
        // The meter's state token tells the transaction whether the meter changed since.
        const state = await this.revisions.acceptedState(current.meterSerial);
        const redecided = await this.rules.decide(
          {
            accountNumber: current.accountNumber,
            values: corrected ?? current.values,
            readAt: current.readAt,
            receivedAt: current.receivedAt,
            // Values an operator typed are not OCR output.
            confidence: corrected ? null : current.confidence,
          },
          current.meterSerial,
        );
        const approval = approveDecision(redecided);
        if (!approval.ok) throw new RevalidationFailedError(approval.reasons);
        return { serial: current.meterSerial, state, decision: approval.decision };
      },
      async (tx, { serial, state, decision }) => {
        if ((await this.revisions.acceptedState(serial, tx)) !== state) return null;
        const item = await lockOpenItem(this.review, tx, submissionId, operator.login);
        await check?.(tx);
        return this.write(tx, item, 'approved', decision, body.comment, corrected, operator);
      },
    );
    if (!result)
      throw new ConcurrentChangeError(
        `the meter of ${submissionId} kept changing while the approval was decided; retry`,
      );
    return this.publish(submissionId, 'approved', result);
  }

  /** Rejects the reading with the operator's reasons (default: the review reasons it had). */
  async reject(
    submissionId: string,
    body: { comment: string; reasons?: ReasonCode[] },
    operator: OperatorPrincipal,
    check?: DecisionCheck,
  ): Promise<ReviewDecisionResultDto> {
    const result = await this.transactions.run(async (tx) => {
      const item = await lockOpenItem(this.review, tx, submissionId, operator.login);
      await check?.(tx);
      const decision: ReadingDecision = {
        status: 'rejected',
        reasons: rejectionReasons(item.reasons, body.reasons),
        warnings: [],
        billingPeriod: item.billingPeriod,
        values: null,
        consumption: [],
        consumptionUnits: null,
        days: null,
      };
      return this.write(tx, item, 'rejected', decision, body.comment, null, operator);
    });
    return this.publish(submissionId, 'rejected', result);
  }

  private async write(
    tx: Transaction,
    item: LockedReviewItem,
    kind: 'approved' | 'rejected',
    decision: ReadingDecision,
    comment: string,
    corrected: ZoneValues | null,
    operator: OperatorPrincipal,
  ): Promise<{ outcome: OutcomeMessage; ids: string[] }> {
    const decidedAt = new Date();
    const [revised] = await this.revisions.revise(tx, [
      {
        submissionId: item.submissionId,
        decision,
        decidedAt,
        correctedValues: corrected,
        meterSerial: null,
      },
    ]);
    const outcome = readingOutcome(revised);
    await this.review.recordDecision(tx, {
      submissionId: item.submissionId,
      decision: kind,
      decidedBy: operator.login,
      decidedAt,
      comment,
      reviewReasons: item.reasons,
      submittedValues: item.values,
      correctedValues: corrected,
      swappedFromSerial: null,
    });
    await this.audit.append(tx, {
      login: operator.login,
      role: operator.role,
      action: kind === 'approved' ? 'review.approve' : 'review.reject',
      subject: `review:${item.submissionId}`,
      before: {
        ...decisionSnapshot(item),
        values: item.values,
        claim: reviewClaimView(item.claim),
      },
      after: {
        ...decisionSnapshot(outcome),
        values: corrected ?? item.values,
        comment,
        correctedValues: corrected,
      },
    });
    return { outcome, ids: await this.outbox.enqueue(tx, [outcome]) };
  }

  private async publish(
    submissionId: string,
    decision: 'approved' | 'rejected',
    { outcome, ids }: { outcome: OutcomeMessage; ids: string[] },
  ): Promise<ReviewDecisionResultDto> {
    decisions.inc({ decision });
    const outcomePublished = await this.relay.publish(ids);
    return { submissionId, decision, outcome, outcomePublished };
  }
}
