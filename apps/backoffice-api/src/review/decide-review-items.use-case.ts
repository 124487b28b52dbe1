import { Injectable } from '@nestjs/common';
import type { OperatorPrincipal } from '../auth/operator-tokens';
import {
  BackofficeError,
  type BackofficeErrorCode,
  RevalidationFailedError,
} from '../backoffice.errors';
import { DecideReviewItemUseCase } from './decide-review-item.use-case';

/** At most this many items in one bulk decision: one page of the queue. */
export const MAX_BULK_ITEMS = 100;

/** What became of one item of a bulk decision. */
export type BulkItemResult =
  | { submissionId: string; ok: true; meterSerial: string; outcomePublished: boolean }
  | { submissionId: string; ok: false; error: BackofficeErrorCode; reasons: string[] };

/**
 * One decision with one comment on several review items. Each item goes through the single
 * decision's use case in a transaction of its own (its row lock, its audit entry, its outcome), so
 * an item another operator holds, decided meanwhile or refused by the rules is reported and the
 * others are decided all the same.
 */
@Injectable()
export class DecideReviewItemsUseCase {
  constructor(private readonly decisions: DecideReviewItemUseCase) {}

  async execute(
    submissionIds: string[],
    decision: 'approve' | 'reject',
    comment: string,
    operator: OperatorPrincipal,
  ): Promise<BulkItemResult[]> {
    const results: BulkItemResult[] = [];
    for (const submissionId of submissionIds) {
      try {
        const done =
          decision === 'approve'
            ? await this.decisions.approve(submissionId, { comment }, operator)
            : await this.decisions.reject(submissionId, { comment }, operator);
        results.push({
          submissionId,
          ok: true,
          meterSerial: done.outcome.meterSerial,
          outcomePublished: done.outcomePublished,
        });
      } catch (error) {
        if (!(error instanceof BackofficeError)) throw error;
        const reasons = error instanceof RevalidationFailedError ? error.reasons : [];
        results.push({ submissionId, ok: false, error: error.code, reasons });
      }
    }
    return results;
  }
}
