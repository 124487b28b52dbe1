import type { OutcomeStatus, ReasonCode, WarningCode, Zone } from './codes';

export const OUTCOME_SCHEMA = 'meter-reading-outcome/1';

/** Outcome on `meter-readings.outcomes.v1` (contract section 2). */
export interface OutcomeMessage {
  schema: typeof OUTCOME_SCHEMA;
  submissionId: string;
  status: OutcomeStatus;
  reasons: ReasonCode[];
  warnings: WarningCode[];
  accountNumber: string;
  meterSerial: string;
  billingPeriod: string | null;
  consumption: { zone: Zone; value: string }[];
  decidedAt: string;
}
