import { Injectable } from '@nestjs/common';
import type { OutcomeMessage, OutcomeStatus, ReasonCode } from '@gw/contracts';
import { readingOutcome, type RecordedReading, type Redecision } from '@gw/domain';
import {
  AuditLogRepository,
  MeterVerificationRepository,
  OutcomeOutboxRepository,
  ReadingRevisionRepository,
  TransactionRunner,
} from '@gw/persistence';
import { OutcomeRelay } from './outcome-relay';
import { ReadingRules } from './reading-rules';

const sameDecision = ({ decision }: Redecision, before: RecordedReading) =>
  decision.status === before.status && decision.reasons.join() === before.reasons.join();

const sameIds = (a: RecordedReading[], b: RecordedReading[]) =>
  a.map((r) => r.submissionId).join() === b.map((r) => r.submissionId).join();

/** Who asked for a revalidation, as the audit log names them. */
export interface RevalidationActor {
  login: string;
  role: string;
}

/** What a revalidation changed. */
export interface MeterRevalidationResult {
  serial: string;
  /** Readings whose decision changed, with their new outcome. */
  revalidated: {
    submissionId: string;
    before: { status: OutcomeStatus; reasons: ReasonCode[] };
    outcome: OutcomeMessage;
  }[];
  /** Readings decided again whose decision stays as it was (e.g. still VERIFICATION_EXPIRED). */
  unchanged: number;
  /** False when Kafka did not acknowledge; the outbox relay retries. */
  outcomesPublished: boolean;
}

/**
 * After a new verification record, decides again the meter's readings the records now judge
 * otherwise (`MeterVerificationRepository.revalidatable`): those rejected only for
 * VERIFICATION_EXPIRED or only for VERIFICATION_FAILED that a fit record covers (a verification
 * after an unfit finding), and those accepted or awaiting review taken on or
 * after an unfit record's date, which become VERIFICATION_FAILED; oldest first, each seeing those
 * accepted before it. Readings an operator decided keep their decision. Each changed reading
 * gets a new outcome with its submissionId; all are written in one transaction with one audit
 * entry, then published. The back office (an operator's request) and the command line (an Arshin
 * sync) both revalidate through here. `unknown_meter`: not in the registry; `kept_changing`: the
 * readings changed under every attempt, the caller may retry.
 */
@Injectable()
export class MeterRevalidation {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly verifications: MeterVerificationRepository,
    private readonly revisions: ReadingRevisionRepository,
    private readonly outbox: OutcomeOutboxRepository,
    private readonly audit: AuditLogRepository,
    private readonly rules: ReadingRules,
    private readonly relay: OutcomeRelay,
  ) {}

  async revalidate(
    serial: string,
    actor: RevalidationActor,
  ): Promise<MeterRevalidationResult | 'unknown_meter' | 'kept_changing'> {
    // Written only if neither the meter's accepted readings nor the candidates changed meanwhile.
    const written = await this.transactions.decideThenWrite(
      async () => {
        const state = await this.revisions.acceptedState(serial);
        const candidates = await this.verifications.revalidatable(serial);
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
        return { state, candidates, redecided };
      },
      async (tx, { state, candidates, redecided }) => {
        if (redecided === null) return 'unknown_meter' as const;
        const stored = new Map(candidates.map((r) => [r.submissionId, r]));
        const changed = redecided.flatMap((r) => {
          const before = stored.get(r.submissionId) as RecordedReading;
          return sameDecision(r, before) ? [] : [{ ...r, before }];
        });
        const meter = await this.verifications.lockMeter(tx, serial);
        if (!meter) return 'unknown_meter' as const;
        if ((await this.revisions.acceptedState(serial, tx)) !== state) return null;
        const locked = await this.verifications.revalidatable(serial, tx);
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
        const before = changed.map(({ submissionId, before: { status, reasons } }) => ({
          submissionId,
          status,
          reasons,
        }));
        await this.audit.append(tx, {
          login: actor.login,
          role: actor.role,
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
        return {
          changed,
          unchanged: redecided.length - changed.length,
          outcomes,
          ids: await this.outbox.enqueue(tx, outcomes),
        };
      },
    );
    if (written === null) return 'kept_changing';
    if (written === 'unknown_meter') return written;
    const byId = new Map(written.outcomes.map((o) => [o.submissionId, o]));
    return {
      serial,
      revalidated: written.changed.map(({ submissionId, before: { status, reasons } }) => ({
        submissionId,
        before: { status, reasons },
        outcome: byId.get(submissionId) as NonNullable<ReturnType<typeof byId.get>>,
      })),
      unchanged: written.unchanged,
      outcomesPublished: await this.relay.publish(written.ids),
    };
  }
}
