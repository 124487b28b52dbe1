import type { RecordedReading } from '@gw/domain';

type Stored = RecordedReading;

/** A row of `readings` as `STORED_READING_COLUMNS` selects it, the way PostgreSQL returns it. */
export interface StoredReadingRow {
  submission_id: Stored['submissionId'];
  channel: Stored['channel'];
  source_id: Stored['sourceId'];
  account_number: Stored['accountNumber'];
  meter_serial: Stored['meterSerial'];
  resource: Stored['resource'];
  status: Stored['status'];
  reasons: Stored['reasons'];
  warnings: Stored['warnings'];
  billing_period: Stored['billingPeriod'];
  submitted_values: Stored['values'];
  consumption: Stored['consumption'];
  /** numeric, which the driver returns as text. */
  confidence: string | null;
  read_at: Date;
  received_at: Date;
  decided_at: Date;
  trace_id: Stored['traceId'];
}

/**
 * What a query selects of a reading aliased `r` (in a SELECT or an UPDATE's RETURNING) to map it
 * with `toStoredReading`. The resource is a subquery, so it needs no join and works in RETURNING.
 */
export const STORED_READING_COLUMNS = `r.submission_id, r.channel, r.source_id, r.account_number, r.meter_serial,
  (SELECT rm.resource FROM meters rm WHERE rm.serial = r.meter_serial) AS resource, r.status, r.reasons, r.warnings,
  r.billing_period, r.submitted_values, r.consumption, r.confidence::text AS confidence, r.read_at, r.received_at,
  r.decided_at, r.trace_id`;

/** The one mapper of a stored reading's row. */
export function toStoredReading(row: StoredReadingRow): RecordedReading {
  return {
    submissionId: row.submission_id,
    channel: row.channel,
    sourceId: row.source_id,
    accountNumber: row.account_number,
    meterSerial: row.meter_serial,
    resource: row.resource,
    status: row.status,
    reasons: row.reasons,
    warnings: row.warnings,
    billingPeriod: row.billing_period,
    values: row.submitted_values,
    consumption: row.consumption,
    confidence: row.confidence === null ? null : Number(row.confidence),
    readAt: row.read_at,
    receivedAt: row.received_at,
    decidedAt: row.decided_at,
    traceId: row.trace_id,
  };
}
