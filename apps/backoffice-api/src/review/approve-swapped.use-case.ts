import { Injectable } from '@nestjs/common';
import type { OutcomeMessage } from '@gw/contracts';
import { approveDecision, type ReadingDecision, readingOutcome } from '@gw/domain';
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
import {
  ConcurrentChangeError,
  NotSwappableError,
  RevalidationFailedError,
} from '../backoffice.errors';
import { ReviewRepository, type ReviewItem } from '../persistence/review.repository';
import {
  decisionSnapshot,
  findOpenItem,
  lockOpenItem,
  refuseIfHeldByOther,
} from './open-review-item';
import { reviewClaimView } from './review-item.view';
import type { SwapApprovalResultDto } from './review.dto';

const swapped = counter(
  'backoffice_review_swapped_total',
  'Readings an operator approved onto the account’s other water meter',
);

/** A review item's reading approved for the other water meter, as the rules decided it there. */
interface Move {
  item: ReviewItem;
  to: string;
  decision: ReadingDecision;
}

/**
 * "Approve swapped" on a SUSPECTED_SWAP item: the value was meant for the account's other water
 * meter. The reading's row is moved to that meter (its submissionId, values and readAt stay), so it
 * is counted once, on the meter it belongs to; when the other meter's reading of the same period is
 * in review as a suspected swap too, it moves the other way in the same transaction. Each value is
 * decided by the rules on the meter it moves to (its last accepted reading, its history, its order:
 * a reading older than that meter's last accepted one is refused), so the stored readings of both
 * meters are what the processor would have accepted had the values come in on the right meters.
 * Both meters are locked, each item gets its decision record, an audit entry and its outcome (with
 * the meter it now counts for) in the outbox, then the outcomes are published.
 */
@Injectable()
export class ApproveSwappedUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly review: ReviewRepository,
    private readonly revisions: ReadingRevisionRepository,
    private readonly outbox: OutcomeOutboxRepository,
    private readonly audit: AuditLogRepository,
    private readonly rules: ReadingRules,
    private readonly relay: OutcomeRelay,
  ) {}

  async execute(
    submissionId: string,
    body: { comment: string },
    operator: OperatorPrincipal,
  ): Promise<SwapApprovalResultDto> {
    const decided = await this.transactions.decideThenWrite(
      () => this.decideMoves(submissionId, operator.login),
      async (tx, { serials, states, moves }) => {
        for (const [i, serial] of serials.entries())
          if ((await this.revisions.acceptedState(serial, tx)) !== states[i]) return null;
        return { moves, written: await this.write(tx, moves, body.comment, operator) };
      },
    );
    if (!decided)
      throw new ConcurrentChangeError(
        `the meters of ${submissionId} kept changing while the swap was decided; retry`,
      );
    const { moves, written } = decided;
    swapped.inc(moves.length);
    return {
      submissionId,
      decision: 'approved',
      swapped: moves.map((m) => ({
        submissionId: m.item.submissionId,
        fromMeterSerial: m.item.meterSerial,
        toMeterSerial: m.to,
        outcome: written.outcomes.get(m.item.submissionId) as OutcomeMessage,
      })),
      outcomePublished: await this.relay.publish(written.ids),
    };
  }

  /**
   * The moves a swap approval makes, decided outside any transaction, with the state tokens of
   * both meters (in serial order) for the transaction to check that neither changed since.
   */
  private async decideMoves(submissionId: string, login: string) {
    const current = await findOpenItem(this.review, submissionId, login);
    if (!current.reasons.includes('SUSPECTED_SWAP'))
      throw new NotSwappableError(`review item ${submissionId} is not a suspected swap`);
    const { readAt } = current;
    const counterpart = await this.rules.swapCounterpart(
      current.accountNumber,
      current.meterSerial,
      readAt,
    );
    if (counterpart === null)
      throw new NotSwappableError(
        `account ${current.accountNumber} has no single other water meter to move the reading to`,
      );
    const partner = await this.review.findSwapPartner(
      current.accountNumber,
      counterpart,
      current.billingPeriod,
      readAt,
    );
    refuseIfHeldByOther(partner?.claim ?? null, login);
    const serials = [current.meterSerial, counterpart].sort();
    const states = await Promise.all(serials.map((s) => this.revisions.acceptedState(s)));
    const pairs = [{ item: current as ReviewItem, to: counterpart }];
    if (partner) pairs.push({ item: partner, to: current.meterSerial });
    const moves: Move[] = await Promise.all(
      pairs.map(async (m) => ({ ...m, decision: await this.decideOn(m.item, m.to) })),
    );
    return { serials, states, moves };
  }

  /** The rules' verdict on the item's values read on meter `to`; a rejection refuses the swap. */
  private async decideOn(item: ReviewItem, to: string): Promise<ReadingDecision> {
    const redecided = await this.rules.decide(
      {
        accountNumber: item.accountNumber,
        values: item.values,
        readAt: item.readAt,
        receivedAt: item.receivedAt,
        confidence: item.confidence,
      },
      to,
    );
    const approval = approveDecision(redecided);
    if (!approval.ok) throw new RevalidationFailedError(approval.reasons, to);
    return approval.decision;
  }

  private async write(
    tx: Transaction,
    moves: Move[],
    comment: string,
    operator: OperatorPrincipal,
  ): Promise<{ outcomes: Map<string, OutcomeMessage>; ids: string[] }> {
    // Items are locked in id order, so two operators swapping the same pair cannot deadlock.
    const ordered = [...moves].sort((a, b) =>
      a.item.submissionId.localeCompare(b.item.submissionId),
    );
    const locked = [];
    for (const move of ordered)
      locked.push(await lockOpenItem(this.review, tx, move.item.submissionId, operator.login));
    const decidedAt = new Date();
    const revised = await this.revisions.revise(
      tx,
      ordered.map((m) => ({
        submissionId: m.item.submissionId,
        decision: m.decision,
        decidedAt,
        correctedValues: null,
        meterSerial: m.to,
      })),
    );
    const outcomes = revised.map(readingOutcome);
    const byId = new Map(outcomes.map((o) => [o.submissionId, o]));
    for (const item of locked) {
      const outcome = byId.get(item.submissionId) as OutcomeMessage;
      await this.review.recordDecision(tx, {
        submissionId: item.submissionId,
        decision: 'approved',
        decidedBy: operator.login,
        decidedAt,
        comment,
        reviewReasons: item.reasons,
        submittedValues: item.values,
        correctedValues: null,
        swappedFromSerial: item.meterSerial,
      });
      await this.audit.append(tx, {
        login: operator.login,
        role: operator.role,
        action: 'review.approve_swapped',
        subject: `review:${item.submissionId}`,
        before: {
          ...decisionSnapshot(item),
          meterSerial: item.meterSerial,
          values: item.values,
          claim: reviewClaimView(item.claim),
        },
        after: {
          ...decisionSnapshot(outcome),
          meterSerial: outcome.meterSerial,
          values: item.values,
          comment,
          swappedWith: locked.filter((l) => l !== item).map((l) => l.submissionId),
        },
      });
    }
    return { outcomes: byId, ids: await this.outbox.enqueue(tx, outcomes) };
  }
}
