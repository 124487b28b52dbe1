import { OUTCOME_SCHEMA, type OutcomeMessage } from '@gw/contracts';
import { toMoscowIso } from './moscow-time';

/** A decided reading, just decided or loaded back: what its outcome message is made of. */
export type DecidedOutcome = Omit<OutcomeMessage, 'schema' | 'decidedAt'> & { decidedAt: Date };

/** The outcome message of a decided reading (contract section 2), its time in Moscow time. */
export function readingOutcome(reading: DecidedOutcome): OutcomeMessage {
  return {
    schema: OUTCOME_SCHEMA,
    submissionId: reading.submissionId,
    status: reading.status,
    reasons: reading.reasons,
    warnings: reading.warnings,
    accountNumber: reading.accountNumber,
    meterSerial: reading.meterSerial,
    billingPeriod: reading.billingPeriod,
    consumption: reading.consumption,
    decidedAt: toMoscowIso(reading.decidedAt),
  };
}
