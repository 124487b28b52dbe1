import type { Resource } from '@gw/contracts';
import { type ArshinRecord, arshinIntervalMonths, type RecordedReading } from '@gw/domain';
import type { DataSource } from 'typeorm';
import { MOSCOW_ZONE } from '../moscow-zone';
import { STORED_READING_COLUMNS, type StoredReadingRow, toStoredReading } from '../stored-reading';
import { queryable, type Transaction } from '../transaction';

/** A meter's verification facts, as a new verification is checked against them. */
export interface VerificationMeter {
  serial: string;
  accountNumber: string;
  installedOn: string;
  verifiedOn: string;
  intervalMonths: number;
  dueOn: string;
  decommissionedOn: string | null;
}

export interface VerificationRecord {
  serial: string;
  verifiedOn: string;
  intervalMonths: number;
  dueOn: string;
  certificateNo: string | null;
  recordedBy: string;
  recordedAt: Date;
}

interface VerificationMeterRow {
  serial: string;
  account_number: string;
  installed_on: string;
  verified_on: string;
  verification_interval_months: number;
  due_on: string;
  decommissioned_on: string | null;
}

interface VerificationRow {
  serial: string;
  verified_on: string;
  interval_months: number;
  due_on: string;
  certificate_no: string | null;
  recorded_by: string;
  recorded_at: Date;
}

/**
 * Readings of the meter that the verification on record now decides otherwise than when they were
 * decided, by the record in force on the reading's Moscow day (the latest made on or before it,
 * the rule of libs/domain `verificationAt`), whatever order the records arrived in: those rejected
 * only for VERIFICATION_EXPIRED or only for VERIFICATION_FAILED that a fit record due on or after
 * that day covers (a verification after an unfit finding makes the meter valid again), and those
 * accepted or awaiting review that an unfit record judges (VERIFICATION_FAILED). Those an operator
 * decided are left out: their decision stands. So are those of another account than the meter's
 * now: submitted while the meter was that account's, they were decided for it.
 */
const REVALIDATABLE = `
  FROM readings r
  JOIN LATERAL (
    SELECT v.applicable, v.due_on FROM meter_verifications v
     WHERE v.serial = r.meter_serial AND v.verified_on <= (r.read_at AT TIME ZONE ${MOSCOW_ZONE})::date
     ORDER BY v.verified_on DESC LIMIT 1) in_force ON true
 WHERE r.meter_serial = $1
   AND ((r.status = 'rejected'
         AND r.reasons IN (ARRAY['VERIFICATION_EXPIRED']::text[], ARRAY['VERIFICATION_FAILED']::text[])
         AND in_force.applicable AND in_force.due_on >= (r.read_at AT TIME ZONE ${MOSCOW_ZONE})::date)
     OR (r.status IN ('accepted', 'needs_review') AND NOT in_force.applicable))
   AND r.account_number = (SELECT m.account_number FROM meters m WHERE m.serial = r.meter_serial)
   AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.submission_id = r.submission_id)`;

/** One verification of a meter's history, wherever it came from. */
export interface VerificationHistoryEntry {
  verifiedOn: string;
  /** Null for an unfit record. */
  dueOn: string | null;
  applicable: boolean;
  source: 'registry' | 'operator' | 'arshin';
  /** Arshin's record id; null for the other sources. */
  vriId: string | null;
  orgTitle: string | null;
  resultDocnum: string | null;
  certificateNo: string | null;
  recordedBy: string;
  recordedAt: Date;
}

interface VerificationHistoryRow {
  verified_on: string;
  due_on: string | null;
  applicable: boolean;
  source: VerificationHistoryEntry['source'];
  vri_id: string | null;
  org_title: string | null;
  result_docnum: string | null;
  certificate_no: string | null;
  recorded_by: string;
  recorded_at: Date;
}

/** A meter as Arshin is asked about it: only its serial and type number are sent. */
export interface LookupMeter {
  serial: string;
  resource: Resource;
  typeNumber: string | null;
}

interface LookupMeterRow {
  serial: string;
  resource: Resource;
  type_number: string | null;
}

/** What recording a meter's Arshin records changed. */
export interface ArshinRecording {
  /** Records new to the meter's history. */
  recorded: number;
  /** The record that became the meter's current verification, if one did. */
  current: { verifiedOn: string; applicable: boolean; vriId: string } | null;
  /** The meter's current verification before, for the audit log. */
  before: { verifiedOn: string; dueOn: string };
}

/** Verifications (поверка) of meters, from the registry, operators and Arshin, and the readings they decide again. */
export class MeterVerificationRepository {
  constructor(private readonly db: DataSource) {}

  /** The meter, locked until the transaction ends so two verifications of it run one at a time. */
  async lockMeter(tx: Transaction, serial: string): Promise<VerificationMeter | null> {
    const [row]: VerificationMeterRow[] = await queryable(this.db, tx).query(
      `SELECT serial, account_number, installed_on::text, verified_on::text, verification_interval_months,
              verification_due_on::text AS due_on, decommissioned_on::text
         FROM meters WHERE serial = $1 FOR UPDATE`,
      [serial],
    );
    if (!row) return null;
    return {
      serial: row.serial,
      accountNumber: row.account_number,
      installedOn: row.installed_on,
      verifiedOn: row.verified_on,
      intervalMonths: row.verification_interval_months,
      dueOn: row.due_on,
      decommissionedOn: row.decommissioned_on,
    };
  }

  async find(
    tx: Transaction,
    serial: string,
    verifiedOn: string,
  ): Promise<VerificationRecord | null> {
    const [row]: VerificationRow[] = await queryable(this.db, tx).query(
      `SELECT serial, verified_on::text, interval_months, due_on::text, certificate_no, recorded_by, recorded_at
         FROM meter_verifications WHERE serial = $1 AND verified_on = $2`,
      [serial, verifiedOn],
    );
    return row ? toRecord(row) : null;
  }

  /** Stores the verification and makes it the meter's current one. */
  async record(
    tx: Transaction,
    verification: Omit<VerificationRecord, 'recordedAt'>,
  ): Promise<VerificationRecord> {
    const [row]: VerificationRow[] = await queryable(this.db, tx).query(
      `INSERT INTO meter_verifications (serial, verified_on, interval_months, due_on, certificate_no, recorded_by, source)
       VALUES ($1, $2, $3, $4, $5, $6, 'operator')
       RETURNING serial, verified_on::text, interval_months, due_on::text, certificate_no, recorded_by, recorded_at`,
      [
        verification.serial,
        verification.verifiedOn,
        verification.intervalMonths,
        verification.dueOn,
        verification.certificateNo,
        verification.recordedBy,
      ],
    );
    await queryable(this.db, tx).query(
      `UPDATE meters SET verified_on = $2, verification_interval_months = $3, verification_due_on = $4, updated_at = now()
        WHERE serial = $1`,
      [
        verification.serial,
        verification.verifiedOn,
        verification.intervalMonths,
        verification.dueOn,
      ],
    );
    return toRecord(row);
  }

  /** The meter's verifications, latest first. */
  async history(serial: string): Promise<VerificationHistoryEntry[]> {
    const rows: VerificationHistoryRow[] = await this.db.query(
      `SELECT verified_on::text, due_on::text, applicable, source, vri_id, org_title, result_docnum, certificate_no,
              recorded_by, recorded_at
         FROM meter_verifications WHERE serial = $1 ORDER BY verified_on DESC`,
      [serial],
    );
    return rows.map((r) => ({
      verifiedOn: r.verified_on,
      dueOn: r.due_on,
      applicable: r.applicable,
      source: r.source,
      vriId: r.vri_id,
      orgTitle: r.org_title,
      resultDocnum: r.result_docnum,
      certificateNo: r.certificate_no,
      recordedBy: r.recorded_by,
      recordedAt: r.recorded_at,
    }));
  }

  /**
   * Meters in use whose verification is expired or falls due by `dueBy`, soonest first, that are
   * worth asking Arshin about: not asked since `askedBefore`, or asked for another type number
   * than the registry's now (`recordLookup`). With `serial`, that one meter whatever its standing.
   */
  async dueForLookup(
    selection: { dueBy: string; askedBefore: Date } | { serial: string },
  ): Promise<LookupMeter[]> {
    const rows: LookupMeterRow[] =
      'serial' in selection
        ? await this.db.query(
            `SELECT serial, resource, type_number FROM meters WHERE serial = $1`,
            [selection.serial],
          )
        : await this.db.query(
            `SELECT m.serial, m.resource, m.type_number FROM meters m
               LEFT JOIN arshin_lookups l ON l.serial = m.serial
              WHERE m.decommissioned_on IS NULL AND m.verification_due_on <= $1
                AND (l.serial IS NULL OR l.looked_up_at < $2 OR l.type_number IS DISTINCT FROM m.type_number)
              ORDER BY m.verification_due_on, m.serial`,
            [selection.dueBy, selection.askedBefore],
          );
    return rows.map((r) => ({ serial: r.serial, resource: r.resource, typeNumber: r.type_number }));
  }

  /** Arshin answered about `meter` (asked with its type number, if any) now. */
  async recordLookup(meter: LookupMeter): Promise<void> {
    await this.db.query(
      `INSERT INTO arshin_lookups (serial, type_number, looked_up_at) VALUES ($1, $2, now())
       ON CONFLICT (serial) DO UPDATE SET type_number = EXCLUDED.type_number, looked_up_at = EXCLUDED.looked_up_at`,
      [meter.serial, meter.typeNumber],
    );
  }

  /**
   * Adds Arshin's records to the meter's history; a day already on file (from any source) keeps
   * its record, and a record seen before is not added twice. The latest new record becomes the
   * meter's current verification only when it is later than the current one: a fit record moves
   * the due date to its valid-until date; an unfit one ends the verification the day before
   * (readings from that day on are VERIFICATION_FAILED through the history). Any new record moves
   * the meter's `updated_at`, so a processor that loaded its history before decides again. Call
   * with the meter locked (`lockMeter`).
   */
  async recordArshin(
    tx: Transaction,
    meter: VerificationMeter,
    records: readonly ArshinRecord[],
    recordedBy: string,
  ): Promise<ArshinRecording> {
    const db = queryable(this.db, tx);
    const before = { verifiedOn: meter.verifiedOn, dueOn: meter.dueOn };
    const inserted: { verified_on: string }[] = await db.query(
      `INSERT INTO meter_verifications (serial, verified_on, interval_months, due_on, certificate_no, recorded_by, source,
                                        vri_id, org_title, result_docnum, applicable)
       SELECT $1, t.verified_on, t.interval_months, t.due_on, NULL, $2, 'arshin', t.vri_id, t.org_title,
              t.docnum, t.applicable
         FROM unnest($3::date[], $4::int[], $5::date[], $6::varchar[], $7::text[], $8::varchar[], $9::boolean[])
              AS t(verified_on, interval_months, due_on, vri_id, org_title, docnum, applicable)
       ON CONFLICT DO NOTHING
       RETURNING verified_on::text`,
      [
        meter.serial,
        recordedBy,
        records.map((r) => r.verifiedOn),
        records.map((r) =>
          r.validUntil === null ? null : arshinIntervalMonths(r.verifiedOn, r.validUntil),
        ),
        records.map((r) => r.validUntil),
        records.map((r) => r.vriId),
        records.map((r) => r.orgTitle),
        records.map((r) => r.resultDocnum),
        records.map((r) => r.applicable),
      ],
    );
    const days = new Set(inserted.map((r) => r.verified_on));
    const latest = records
      .filter((r) => days.has(r.verifiedOn))
      .reduce<ArshinRecord | null>(
        (a, r) => (a === null || r.verifiedOn > a.verifiedOn ? r : a),
        null,
      );
    if (latest === null || latest.verifiedOn <= meter.verifiedOn) {
      if (latest !== null)
        await db.query(`UPDATE meters SET updated_at = now() WHERE serial = $1`, [meter.serial]);
      return { recorded: inserted.length, current: null, before };
    }
    await db.query(
      `UPDATE meters SET verified_on = $2::date,
              verification_interval_months = coalesce($3, verification_interval_months),
              verification_due_on = coalesce($4::date, $2::date - 1), updated_at = now()
        WHERE serial = $1`,
      [
        meter.serial,
        latest.verifiedOn,
        latest.validUntil === null
          ? null
          : arshinIntervalMonths(latest.verifiedOn, latest.validUntil),
        latest.validUntil,
      ],
    );
    return {
      recorded: inserted.length,
      current: {
        verifiedOn: latest.verifiedOn,
        applicable: latest.applicable,
        vriId: latest.vriId,
      },
      before,
    };
  }

  /** How many readings a revalidation of the meter would decide again. */
  async countRevalidatable(serial: string): Promise<number> {
    const [row]: { n: string }[] = await this.db.query(`SELECT count(*) AS n ${REVALIDATABLE}`, [
      serial,
    ]);
    return Number(row.n);
  }

  /** Those readings, oldest first; given `tx`, locked for the rest of it. */
  async revalidatable(serial: string, tx?: Transaction): Promise<RecordedReading[]> {
    const rows: StoredReadingRow[] = await queryable(this.db, tx).query(
      `SELECT ${STORED_READING_COLUMNS}
       ${REVALIDATABLE}
        ORDER BY r.read_at, r.submission_id
       ${tx ? 'FOR UPDATE OF r' : ''}`,
      [serial],
    );
    return rows.map(toStoredReading);
  }
}

function toRecord(row: VerificationRow): VerificationRecord {
  return {
    serial: row.serial,
    verifiedOn: row.verified_on,
    intervalMonths: row.interval_months,
    dueOn: row.due_on,
    certificateNo: row.certificate_no,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}
