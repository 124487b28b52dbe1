import { Injectable, Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '@gw/persistence';
import { type BrokerUnavailableError, type DatabaseUnavailableError, outageOf } from '@gw/platform';
import { type OperatorSession, OperatorTokens } from '../auth/operator-tokens';
import {
  BackofficeError,
  type BackofficeErrorCode,
  RevalidationFailedError,
  SessionEndedError,
} from '../backoffice.errors';
import { type DecisionCheck, DecideReviewItemUseCase } from './decide-review-item.use-case';

/** At most this many items in one bulk decision: one page of the queue. */
export const MAX_BULK_ITEMS = 100;

/**
 * What became of one item of a bulk decision. An outage's code (PostgreSQL could not serve the
 * item, e.g. its meter locked longer than the lock timeout) means it was not decided and may be
 * tried again later; `SESSION_ENDED` that it was not decided because the operator's session ended.
 * Kafka being out stops nothing: the decision stands, `outcomePublished: false`.
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
 * others are decided all the same. Each transaction checks again that the operator's session
 * holds, as each request's does, so a logout, revoke or disable made meanwhile ends the run
 * there. When the session has ended, or the database cannot serve an item (its meter locked
 * beyond the lock timeout, say), that item and the ones after it are reported undecided, to be
 * tried again later, and those before it stay decided. Any other failure fails the request.
 */
@Injectable()
export class DecideReviewItemsUseCase {
  private readonly logger = new Logger(DecideReviewItemsUseCase.name);

  constructor(
    private readonly decisions: DecideReviewItemUseCase,
    private readonly tokens: OperatorTokens,
  ) {}

  async execute(
    submissionIds: string[],
    decision: 'approve' | 'reject',
    comment: string,
    operator: OperatorSession,
  ): Promise<BulkItemResult[]> {
    const signedIn: DecisionCheck = async (tx) => {
      if (!(await this.tokens.holds(operator, tx))) throw new SessionEndedError(operator.login);
    };
    const results: BulkItemResult[] = [];
    for (const [index, submissionId] of submissionIds.entries()) {
      try {
        const done =
          decision === 'approve'
            ? await this.decisions.approve(submissionId, { comment }, operator, signedIn)
            : await this.decisions.reject(submissionId, { comment }, operator, signedIn);
        results.push({
          submissionId,
          ok: true,
          meterSerial: done.outcome.meterSerial,
          outcomePublished: done.outcomePublished,
        });
      } catch (error) {
        if (error instanceof BackofficeError && !(error instanceof SessionEndedError)) {
          const reasons = error instanceof RevalidationFailedError ? error.reasons : [];
          results.push({ submissionId, ok: false, error: error.code, reasons });
          continue;
        }
        // Nothing more is decided in the name of an ended session; after an outage, the items
        // after it would most likely wait as long again each. Either way they are left for later.
        const stop =
          error instanceof SessionEndedError ? error : outageOf(error, isDatabaseUnavailable);
        if (!stop) throw error;
        const undecided = submissionIds.slice(index);
        this.logger.warn({
          msg: 'bulk decision stopped; the rest left undecided',
          submissionId,
          undecided: undecided.length,
          error: (error as Error).message,
        });
        for (const id of undecided)
          results.push({ submissionId: id, ok: false, error: stop.code, reasons: [] });
        break;
      }
    }
    return results;
  }
}
