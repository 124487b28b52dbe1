import type {
  Channel,
  OutcomeStatus,
  ReasonCode,
  Resource,
  WarningCode,
  Zone,
} from '@gw/contracts';
import { toMoscowIso } from './moscow-time';

/**
 * A submission as stored, with its current decision: the one model of a stored reading. The
 * repositories that read readings return it; each app shapes its answers from it.
 */
export interface RecordedReading {
  submissionId: string;
  channel: Channel;
  /** Which kiosk, terminal or centre sent it: edges show a submission only to its own source. */
  sourceId: string;
  accountNumber: string;
  meterSerial: string;
  /** The meter's resource; null when the serial is not in the registry. */
  resource: Resource | null;
  status: OutcomeStatus;
  reasons: ReasonCode[];
  warnings: WarningCode[];
  billingPeriod: string | null;
  /** The values as submitted, or as an operator corrected them. */
  values: { zone: string; value: string }[];
  consumption: { zone: Zone; value: string }[];
  /** OCR confidence of a paper slip; null for the other channels. */
  confidence: number | null;
  readAt: Date;
  receivedAt: Date;
  decidedAt: Date;
  /** The W3C trace id it arrived with; null when it came without one. */
  traceId: string | null;
}

/**
 * A recorded submission as `GET /v1/submissions/{id}` answers it (contract section 6), its times
 * in Moscow time. The kiosk's receipt shows the same fields but the trace id.
 */
export function submissionRecord(reading: RecordedReading) {
  return {
    submissionId: reading.submissionId,
    channel: reading.channel,
    status: reading.status,
    reasons: reading.reasons,
    warnings: reading.warnings,
    accountNumber: reading.accountNumber,
    meterSerial: reading.meterSerial,
    billingPeriod: reading.billingPeriod,
    values: reading.values,
    readAt: toMoscowIso(reading.readAt),
    receivedAt: toMoscowIso(reading.receivedAt),
    traceId: reading.traceId,
  };
}

/**
 * A reading as histories list it (the back office's meter history, the cabinet's readings), with
 * its decision and the meter's resource, its times in Moscow time.
 */
export function listedReading(reading: RecordedReading) {
  return {
    submissionId: reading.submissionId,
    channel: reading.channel,
    meterSerial: reading.meterSerial,
    resource: reading.resource,
    status: reading.status,
    reasons: reading.reasons,
    warnings: reading.warnings,
    billingPeriod: reading.billingPeriod,
    values: reading.values,
    consumption: reading.consumption,
    readAt: toMoscowIso(reading.readAt),
    receivedAt: toMoscowIso(reading.receivedAt),
    decidedAt: toMoscowIso(reading.decidedAt),
  };
}
