import type { ReadingDecision, RecordedReading } from '@gw/domain';
import type { DataSource } from 'typeorm';
import { type Changed, queryable, type Transaction } from '../transaction';
import { STORED_READING_COLUMNS, type StoredReadingRow, toStoredReading } from '../stored-reading';
import { decisionColumns, METER_STATE } from './reading.repository';

/** A stored reading decided again, by an operator or after a new verification. */
export interface ReadingRevision {
  submissionId: string;
  decision: ReadingDecision;
  decidedAt: Date;
  /** Values replacing the submitted ones (an operator's correction); null keeps them. */
  correctedValues: { zone: string; value: string }[] | null;
  /**
   * The meter the reading now counts for (an approved swap of cold and hot water); null keeps it.
   * The row moves, so the reading is counted once, on that meter, in its read_at order.
   */
  meterSerial: string | null;
}

/**
 * Replaces the decision stored for readings (the processor's columns, rewritten in one statement),
 * in the caller's transaction, next to the change's audit entry and outbox rows.
 */
export class ReadingRevisionRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The meter's token (`METER_STATE`): it changes whenever the meter's row or its accepted
   * readings change. A decision taken against the meter's state is written only if the token is
   * still the same under the meter's row lock; given `tx`, the lock is taken. Empty for an unknown
   * meter.
   */
  async acceptedState(serial: string, tx?: Transaction): Promise<string> {
    const [row]: { state: string }[] = await queryable(this.db, tx).query(
      `SELECT ${METER_STATE} AS state FROM meters WHERE serial = $1${tx ? ' FOR UPDATE' : ''}`,
      [serial],
    );
    return row?.state ?? '';
  }

  /** Writes the new decisions and returns the readings as stored with them. */
  async revise(tx: Transaction, revisions: ReadingRevision[]): Promise<RecordedReading[]> {
    if (revisions.length === 0) return [];
    const d = decisionColumns(revisions);
    const result: Changed<StoredReadingRow> | StoredReadingRow[] = await queryable(
      this.db,
      tx,
    ).query(
      `UPDATE readings r
          SET status = t.status, reasons = string_to_array(t.reasons, ','), warnings = string_to_array(t.warnings, ','),
              billing_period = t.billing_period, t1 = t.t1, t2 = t.t2, t3 = t.t3, consumption = t.consumption::jsonb,
              consumption_total = t.consumption_total, consumption_days = t.consumption_days, decided_at = t.decided_at,
              submitted_values = COALESCE(t.corrected_values::jsonb, r.submitted_values),
              meter_serial = COALESCE(t.meter_serial, r.meter_serial)
         FROM unnest($1::uuid[], $2::varchar[], $3::text[], $4::text[], $5::varchar[], $6::numeric[], $7::numeric[],
                     $8::numeric[], $9::text[], $10::numeric[], $11::float8[], $12::timestamptz[], $13::text[],
                     $14::varchar[])
           AS t(submission_id, status, reasons, warnings, billing_period, t1, t2, t3, consumption, consumption_total,
                consumption_days, decided_at, corrected_values, meter_serial)
        WHERE r.submission_id = t.submission_id
        RETURNING ${STORED_READING_COLUMNS}`,
      [
        revisions.map((r) => r.submissionId),
        d.status,
        d.reasons,
        d.warnings,
        d.billingPeriod,
        d.t1,
        d.t2,
        d.t3,
        d.consumption,
        d.consumptionTotal,
        d.days,
        d.decidedAt,
        revisions.map((r) =>
          r.correctedValues === null ? null : JSON.stringify(r.correctedValues),
        ),
        revisions.map((r) => r.meterSerial),
      ],
    );
    // TypeORM hands back [rows, affected] for UPDATE ... RETURNING.
    const updated = (Array.isArray(result[0]) ? result[0] : result) as StoredReadingRow[];
    return updated.map(toStoredReading);
  }
}
