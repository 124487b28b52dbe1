import { Injectable, Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '@gw/persistence';
import { type BrokerUnavailableError, type DatabaseUnavailableError, outageOf } from '@gw/platform';
import type { OperatorPrincipal } from '../auth/operator-tokens';
import {
  BackofficeError,
  type BackofficeErrorCode,
  RevalidationFailedError,
} from '../backoffice.errors';
import { DecideReviewItemUseCase } from './decide-review-item.use-case';

/** At most this many items in one bulk decision: one page of the queue. */
export const MAX_BULK_ITEMS = 100;

/**
 * What became of one item of a bulk decision. An outage's code (PostgreSQL could not serve the
 * item, e.g. its meter locked longer than the lock timeout) means it was not decided and may be
 * tried again later. Kafka being out stops nothing: the decision stands, `outcomePublished: false`.
 */
export type BulkItemResult =
  | { submissionId: string; ok: true; meterSerial: string; outcomePublished: boolean }
  | {
      submissionId: string;
      ok: false;
      error: BackofficeErrorCode | (BrokerUnavailableError | DatabaseUnavailableError)['code'];
      reasons: string[];
    };

/**
 * One decision with one comment on several review items. Each item goes through the single
 * decision's use case in a transaction of its own (its row lock, its audit entry, its outcome), so
 * an item another operator holds, decided meanwhile or refused by the rules is reported and the
 * others are decided all the same. When the database cannot serve an item (its meter locked
 * beyond the lock timeout, say), that item and the ones after it are reported undecided, to
 * be tried again later, and those before it stay decided. Any other failure fails the request.
 */
@Injectable()
export class DecideReviewItemsUseCase {
  private readonly logger = new Logger(DecideReviewItemsUseCase.name);

  constructor(private readonly decisions: DecideReviewItemUseCase) {}

  async execute(
    submissionIds: string[],
    decision: 'approve' | 'reject',
    comment: string,
    operator: OperatorPrincipal,
  ): Promise<BulkItemResult[]> {
    const results: BulkItemResult[] = [];
    for (const [index, submissionId] of submissionIds.entries()) {
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
        if (error instanceof BackofficeError) {
          const reasons = error instanceof RevalidationFailedError ? error.reasons : [];
          results.push({ submissionId, ok: false, error: error.code, reasons });
          continue;
        }
        const outage = outageOf(error, isDatabaseUnavailable);
        if (!outage) throw error;
        // The items after it would most likely wait as long again each: they are left for later.
        const undecided = submissionIds.slice(index);
        this.logger.warn({
          msg: 'bulk decision stopped by an outage; the rest left undecided',
          submissionId,
          undecided: undecided.length,
          error: (error as Error).message,
        });
        for (const id of undecided)
          results.push({ submissionId: id, ok: false, error: outage.code, reasons: [] });
        break;
      }
    }
    return results;
  }
}
