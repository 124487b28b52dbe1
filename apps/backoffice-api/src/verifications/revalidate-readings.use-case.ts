import { Injectable } from '@nestjs/common';
import { readingOutcome, type RecordedReading, type Redecision } from '@gw/domain';
import { AuditLogRepository, TransactionRunner } from '@gw/persistence';
import type { OperatorPrincipal } from '../auth/operator-tokens';
import { ConcurrentChangeError, NotFoundError } from '../backoffice.errors';
import { OutcomeRelay } from '../outcomes/outcome-relay';
import { MeterVerificationRepository } from '../persistence/meter-verification.repository';
import { OutcomeOutboxRepository } from '../persistence/outcome-outbox.repository';
import { ReadingRevisionRepository } from '../persistence/reading-revision.repository';
import { ReadingRules } from '../rules/reading-rules';
import type { RevalidationDto } from './verification.dto';

const MAX_ATTEMPTS = 3;

const stillExpired = ({ decision }: Redecision) =>
  decision.status === 'rejected' &&
  decision.reasons.length === 1 &&
  decision.reasons[0] === 'VERIFICATION_EXPIRED';

const sameIds = (a: RecordedReading[], b: RecordedReading[]) =>
  a.map((r) => r.submissionId).join() === b.map((r) => r.submissionId).join();

/**
 * After a new verification, decides again the meter's readings that were rejected only for
 * VERIFICATION_EXPIRED and read on or after the new verification date, oldest first, each seeing
 * those accepted before it. Readings an operator decided keep their decision. Each changed reading
 * gets a new outcome with its submissionId; all are written in one transaction with one audit
 * entry, then published.
 */
@Injectable()
export class RevalidateReadingsUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly verifications: MeterVerificationRepository,
    private readonly revisions: ReadingRevisionRepository,
    private readonly outbox: OutcomeOutboxRepository,
    private readonly audit: AuditLogRepository,
    private readonly rules: ReadingRules,
    private readonly relay: OutcomeRelay,
  ) {}

  async execute(serial: string, operator: OperatorPrincipal): Promise<RevalidationDto> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      // Decided outside the transaction (no connection held while the meter's state loads), then
      // written only if neither the meter's accepted readings nor the candidates changed meanwhile.
      const state = await this.revisions.acceptedState(serial);
      const candidates = await this.verifications.expiredSinceVerification(serial);
      const accountNumber = candidates[0]?.accountNumber;
      const redecided =
        accountNumber === undefined
          ? []
          : await this.rules.redecide(
              candidates.map((r) => ({
                submissionId: r.submissionId,
                input: {
                  accountNumber: r.accountNumber,
                  values: r.values,
                  readAt: r.readAt,
                  receivedAt: r.receivedAt,
                  confidence: r.confidence,
                },
              })),
              accountNumber,
              serial,
            );
      if (redecided === null) throw new NotFoundError(`meter ${serial}`);
      const changed = redecided.filter((r) => !stillExpired(r));
      const written = await this.transactions.run(async (tx) => {
        const meter = await this.verifications.lockMeter(tx, serial);
        if (!meter) throw new NotFoundError(`meter ${serial}`);
        if ((await this.revisions.acceptedState(serial, tx)) !== state) return null;
        const locked = await this.verifications.expiredSinceVerification(serial, tx);
        if (!sameIds(locked, candidates)) return null;
        const decidedAt = new Date();
        const revised = await this.revisions.revise(
          tx,
          changed.map(({ submissionId, decision }) => ({
            submissionId,
            decision,
            decidedAt,
            correctedValues: null,
            meterSerial: null,
          })),
        );
        const outcomes = revised.map(readingOutcome);
        const before = changed.map(({ submissionId }) => ({
          submissionId,
          status: 'rejected',
          reasons: ['VERIFICATION_EXPIRED'],
        }));
        await this.audit.append(tx, {
          login: operator.login,
          role: operator.role,
          action: 'meter.revalidate',
          subject: `meter:${serial}`,
          before: { verifiedOn: meter.verifiedOn, readings: before },
          after: {
            verifiedOn: meter.verifiedOn,
            readings: outcomes.map((o) => ({
              submissionId: o.submissionId,
              status: o.status,
              reasons: o.reasons,
              warnings: o.warnings,
              billingPeriod: o.billingPeriod,
            })),
          },
        });
        return { outcomes, ids: await this.outbox.enqueue(tx, outcomes) };
      });
      if (!written) continue;
      const byId = new Map(written.outcomes.map((o) => [o.submissionId, o]));
      return {
        serial,
        revalidated: changed.map(({ submissionId }) => ({
          submissionId,
          before: { status: 'rejected', reasons: ['VERIFICATION_EXPIRED'] },
          outcome: byId.get(submissionId) as NonNullable<ReturnType<typeof byId.get>>,
        })),
        unchanged: redecided.length - changed.length,
        outcomesPublished: await this.relay.publish(written.ids),
      };
    }
    throw new ConcurrentChangeError(
      `the readings of meter ${serial} changed during revalidation; retry`,
    );
  }
}
