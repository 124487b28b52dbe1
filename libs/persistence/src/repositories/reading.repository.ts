import {
  isUuid,
  OUTCOME_SCHEMA,
  type OutcomeMessage,
  type Resource,
  type SubmissionMessage,
} from '@gw/contracts';
import type {
  MeterFacts,
  PeriodRange,
  PeriodUsage,
  ReadingDecision,
  VerificationPeriod,
  ZoneUnits,
} from '@gw/domain';
import { formatUnits, SCALE_DIGITS, toMoscowIso, toUnits } from '@gw/domain';
import type { DataSource } from 'typeorm';
import { queryable, type Transaction } from '../transaction';
import type { MeterRegisterRow } from './meter.repository';

export interface MeterRecord extends MeterFacts {
  initialValues: ZoneUnits;
  initialOn: string | null;
}

export interface LastAccepted {
  readAt: Date;
  billingPeriod: string | null;
  values: ZoneUnits;
}

/** Everything the processor needs to decide a batch, loaded in a few set-based queries. */
export interface BatchContext {
  accounts: Set<string>;
  meters: Map<string, MeterRecord>;
  lastAccepted: Map<string, LastAccepted>;
  history: Map<string, PeriodUsage[]>;
  stored: Map<string, OutcomeMessage>;
  /**
   * Per known meter, a token of everything a decision depends on that others change: the meter's
   * row (registry import, verification) and its accepted readings (operators' approvals and
   * revisions stamp decided_at). Equal tokens mean the facts loaded are still current.
   */
  meterStates: Map<string, string>;
}

/**
 * Per meter, how many accepted readings `source` holds and when the latest was decided, as one
 * JSON object of `count|decided_at` keyed by serial.
 */
const acceptedPerMeter = (source: string) =>
  `SELECT coalesce(json_object_agg(meter_serial, accepted), '{}') FROM (
     SELECT meter_serial, count(*) || '|' || max(decided_at)::text AS accepted FROM ${source} GROUP BY meter_serial) a`;

/**
 * The tokens `BatchContext.meterStates` holds, from the meters' `updated_at` and
 * `acceptedPerMeter`: the load and the store transaction compute them alike.
 */
function meterStatesOf(
  updatedAt: Record<string, string>,
  accepted: Record<string, string>,
): Map<string, string> {
  return new Map(
    Object.entries(updatedAt).map(([serial, at]) => [serial, `${at}|${accepted[serial] ?? '0|'}`]),
  );
}

/**
 * The context with the facts of `serials` (and the stored outcomes of `fresh`) replaced by those
 * of `fresh`, loaded later: what a store transaction decides against after it found them changed.
 */
export function refreshContext(
  base: BatchContext,
  fresh: BatchContext,
  serials: string[],
): BatchContext {
  const replace = <V>(old: Map<string, V>, updated: Map<string, V>) => {
    const merged = new Map(old);
    for (const serial of serials) {
      const value = updated.get(serial);
      if (value === undefined) merged.delete(serial);
      else merged.set(serial, value);
    }
    return merged;
  };
  return {
    accounts: new Set([...base.accounts, ...fresh.accounts]),
    meters: replace(base.meters, fresh.meters),
    lastAccepted: replace(base.lastAccepted, fresh.lastAccepted),
    history: replace(base.history, fresh.history),
    stored: new Map([...base.stored, ...fresh.stored]),
    meterStates: replace(base.meterStates, fresh.meterStates),
  };
}

/** A stored submission and its current decision; each app shapes it for its own answer. */
export interface StoredSubmission {
  submissionId: string;
  channel: string;
  /** Which kiosk, terminal or centre sent it: edges show a submission only to its own source. */
  sourceId: string;
  status: OutcomeMessage['status'];
  reasons: string[];
  warnings: string[];
  accountNumber: string;
  meterSerial: string;
  billingPeriod: string | null;
  values: { zone: string; value: string }[];
  readAt: Date;
  receivedAt: Date;
  /** The W3C trace id it arrived with; null when it came without one. */
  traceId: string | null;
}

interface SubmissionRow {
  submission_id: string;
  channel: string;
  source_id: string;
  status: OutcomeMessage['status'];
  reasons: string[];
  warnings: string[];
  account_number: string;
  meter_serial: string;
  billing_period: string | null;
  submitted_values: { zone: string; value: string }[];
  read_at: Date;
  received_at: Date;
  trace_id: string | null;
}

function toStoredSubmission(row: SubmissionRow): StoredSubmission {
  return {
    submissionId: row.submission_id,
    channel: row.channel,
    sourceId: row.source_id,
    status: row.status,
    reasons: row.reasons,
    warnings: row.warnings,
    accountNumber: row.account_number,
    meterSerial: row.meter_serial,
    billingPeriod: row.billing_period,
    values: row.submitted_values,
    readAt: row.read_at,
    receivedAt: row.received_at,
    traceId: row.trace_id,
  };
}

/** One stored submission with its decision and the meter's resource, as lists show them. */
export interface StoredReading {
  submissionId: string;
  channel: string;
  meterSerial: string;
  /** Null when the serial is not in the registry. */
  resource: Resource | null;
  status: OutcomeMessage['status'];
  reasons: string[];
  warnings: string[];
  billingPeriod: string | null;
  values: { zone: string; value: string }[];
  consumption: { zone: string; value: string }[];
  readAt: Date;
  receivedAt: Date;
  decidedAt: Date;
}

interface ReadingRow {
  submission_id: string;
  channel: string;
  meter_serial: string;
  resource: Resource | null;
  status: OutcomeMessage['status'];
  reasons: string[];
  warnings: string[];
  billing_period: string | null;
  submitted_values: { zone: string; value: string }[];
  consumption: { zone: string; value: string }[];
  read_at: Date;
  received_at: Date;
  decided_at: Date;
}

function toStoredReading(row: ReadingRow): StoredReading {
  return {
    submissionId: row.submission_id,
    channel: row.channel,
    meterSerial: row.meter_serial,
    resource: row.resource,
    status: row.status,
    reasons: row.reasons,
    warnings: row.warnings,
    billingPeriod: row.billing_period,
    values: row.submitted_values,
    consumption: row.consumption,
    readAt: row.read_at,
    receivedAt: row.received_at,
    decidedAt: row.decided_at,
  };
}

/**
 * The period a reading is listed under: its billing period, or, for a reading rejected before one
 * was assigned, the Moscow month it was read (so it still shows up where people look for it).
 */
const LISTED_PERIOD = `COALESCE(r.billing_period, to_char(r.read_at AT TIME ZONE 'Europe/Moscow', 'YYYY-MM'))`;

export interface DecidedReading {
  message: SubmissionMessage;
  decision: ReadingDecision;
  decidedAt: Date;
  partition: number;
  offset: string;
  /** From the submission's `traceparent`; null when it came without one. */
  traceId: string | null;
}

/**
 * The columns a decision is stored in, one array per column (for `unnest`), in the order of
 * `decided`: what a first decision and every later revision write alike.
 */
export function decisionColumns(decided: { decision: ReadingDecision; decidedAt: Date }[]) {
  const pick = <T>(f: (d: (typeof decided)[number]) => T) => decided.map(f);
  const zone = (z: 'T1' | 'T2' | 'T3') =>
    pick(({ decision }) =>
      decision.values?.[z] !== undefined
        ? formatUnits(decision.values[z] as bigint, SCALE_DIGITS)
        : null,
    );
  return {
    status: pick((d) => d.decision.status),
    reasons: pick((d) => d.decision.reasons.join(',')),
    warnings: pick((d) => d.decision.warnings.join(',')),
    billingPeriod: pick((d) => d.decision.billingPeriod),
    t1: zone('T1'),
    t2: zone('T2'),
    t3: zone('T3'),
    consumption: pick((d) => JSON.stringify(d.decision.consumption)),
    consumptionTotal: pick((d) =>
      d.decision.consumptionUnits === null
        ? null
        : formatUnits(d.decision.consumptionUnits, SCALE_DIGITS),
    ),
    days: pick((d) => d.decision.days),
    decidedAt: pick((d) => d.decidedAt.toISOString()),
  };
}

const zoneUnits = (t1: string | null, t2: string | null, t3: string | null): ZoneUnits => {
  const values: ZoneUnits = {};
  if (t1 !== null) values.T1 = toUnits(t1) as bigint;
  if (t2 !== null) values.T2 = toUnits(t2) as bigint;
  if (t3 !== null) values.T3 = toUnits(t3) as bigint;
  return values;
};

const OUTCOME_COLUMNS = `submission_id, status, reasons, warnings, account_number, meter_serial, billing_period, consumption, decided_at`;

/** The columns an outcome is rebuilt from (`outcomeFromRow`). */
export interface OutcomeRow {
  submission_id: string;
  status: OutcomeMessage['status'];
  reasons: OutcomeMessage['reasons'];
  warnings: OutcomeMessage['warnings'];
  account_number: string;
  meter_serial: string;
  billing_period: string | null;
  consumption: OutcomeMessage['consumption'];
  decided_at: Date;
}

export function outcomeFromRow(row: OutcomeRow): OutcomeMessage {
  return {
    schema: OUTCOME_SCHEMA,
    submissionId: row.submission_id,
    status: row.status,
    reasons: row.reasons,
    warnings: row.warnings,
    accountNumber: row.account_number,
    meterSerial: row.meter_serial,
    billingPeriod: row.billing_period,
    consumption: row.consumption,
    decidedAt: toMoscowIso(row.decided_at),
  };
}

interface MeterRow extends MeterRegisterRow {
  initial_t1: string | null;
  initial_t2: string | null;
  initial_t3: string | null;
  initial_on: string | null;
  verifications: VerificationPeriod[];
  updated_at: string;
}

interface LastAcceptedRow {
  meter_serial: string;
  /** JSON carries it as text. */
  read_at: string;
  billing_period: string | null;
  t1: string | null;
  t2: string | null;
  t3: string | null;
}

interface PeriodUsageRow {
  meter_serial: string;
  billing_period: string;
  total: string;
  days: string;
}

/** What `loadContext` reads from the registry, each part as a JSON array. */
interface RegistryPartsRow {
  accounts: string[];
  meters: MeterRow[];
  stored: (Omit<OutcomeRow, 'decided_at'> & { decided_at: string })[];
}

/** What `loadContext` reads from the meters' accepted readings. */
interface AcceptedPartsRow {
  last_accepted: LastAcceptedRow[];
  history: PeriodUsageRow[];
  accepted: Record<string, string>;
}

/** Submissions and their decisions. */
export class ReadingRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Loads in two statements, one over the registry and one over the meters' accepted readings
   * (read once for the last reading, the history and the tokens), each part aggregated to JSON by
   * PostgreSQL, so the driver parses a few JSON documents instead of thousands of rows. They run
   * side by side on the pool, or in turn inside `tx`. Each part stays set-based (`= ANY`), so the
   * planner picks between the meter index and one pass over the table: for thousands of meters
   * a pass with a hashed key list beats as many index look-ups.
   */
  async loadContext(
    submissionIds: string[],
    accountNumbers: string[],
    serials: string[],
    tx?: Transaction,
  ): Promise<BatchContext> {
    const db = queryable(this.db, tx);
    const registry = () =>
      db.query(
        `SELECT
           (SELECT coalesce(json_agg(account_number), '[]') FROM accounts WHERE account_number = ANY($2::varchar[])) AS accounts,
           (SELECT coalesce(json_agg(m), '[]') FROM (
              SELECT serial, account_number, resource, zones, integer_digits, fraction_digits, verification_due_on::text AS due_on,
                     decommissioned_on::text AS decommissioned_on, initial_t1::text, initial_t2::text, initial_t3::text, initial_on::text,
                     updated_at::text,
                     (SELECT coalesce(json_agg(json_build_object('verifiedOn', v.verified_on::text, 'dueOn', v.due_on::text)), '[]')
                        FROM meter_verifications v WHERE v.serial = meters.serial) AS verifications
                FROM meters WHERE serial = ANY($3::varchar[])) m) AS meters,
           (SELECT coalesce(json_agg(s), '[]') FROM (
              SELECT ${OUTCOME_COLUMNS} FROM readings WHERE submission_id = ANY($1::uuid[])) s) AS stored`,
        [submissionIds, accountNumbers, serials],
      ) as Promise<RegistryPartsRow[]>;
    const readings = () =>
      db.query(
        `WITH accepted AS MATERIALIZED (
           SELECT meter_serial, read_at, decided_at, billing_period, t1, t2, t3, consumption_total, consumption_days
             FROM readings WHERE status = 'accepted' AND meter_serial = ANY($1::varchar[]))
         SELECT
           (SELECT coalesce(json_agg(l), '[]') FROM (
              SELECT DISTINCT ON (meter_serial) meter_serial, read_at, billing_period, t1::text, t2::text, t3::text
                FROM accepted
               ORDER BY meter_serial, read_at DESC, decided_at DESC) l) AS last_accepted,
           (SELECT coalesce(json_agg(h), '[]') FROM (
              SELECT meter_serial, billing_period, sum(consumption_total)::text AS total, sum(consumption_days) AS days
                FROM (SELECT meter_serial, billing_period, consumption_total, consumption_days,
                             dense_rank() OVER (PARTITION BY meter_serial ORDER BY billing_period DESC) AS rank
                        FROM accepted WHERE consumption_total IS NOT NULL) recent
               WHERE rank <= 4
               GROUP BY meter_serial, billing_period) h) AS history,
           (${acceptedPerMeter('accepted')}) AS accepted`,
        [serials],
      ) as Promise<AcceptedPartsRow[]>;
    // A transaction's one connection runs them in turn; the pool, side by side.
    const [[row], [acceptedRow]] = tx
      ? [await registry(), await readings()]
      : await Promise.all([registry(), readings()]);
    const meterRows = row.meters;
    const meters = new Map<string, MeterRecord>();
    for (const r of meterRows) {
      meters.set(r.serial, {
        serial: r.serial,
        accountNumber: r.account_number,
        resource: r.resource,
        zones: r.zones,
        integerDigits: r.integer_digits,
        fractionDigits: r.fraction_digits,
        verificationDueOn: r.due_on,
        verifications: r.verifications,
        decommissionedOn: r.decommissioned_on,
        initialValues: zoneUnits(r.initial_t1, r.initial_t2, r.initial_t3),
        initialOn: r.initial_on,
      });
    }
    const lastAccepted = new Map<string, LastAccepted>();
    for (const r of acceptedRow.last_accepted) {
      lastAccepted.set(r.meter_serial, {
        readAt: new Date(r.read_at),
        billingPeriod: r.billing_period,
        values: zoneUnits(r.t1, r.t2, r.t3),
      });
    }
    const history = new Map<string, PeriodUsage[]>();
    for (const r of acceptedRow.history) {
      const list = history.get(r.meter_serial) ?? [];
      list.push({
        period: r.billing_period,
        consumptionUnits: toUnits(r.total) ?? 0n,
        days: Number(r.days),
      });
      history.set(r.meter_serial, list);
    }
    const stored = new Map<string, OutcomeMessage>(
      row.stored.map((r) => [
        r.submission_id,
        outcomeFromRow({ ...r, decided_at: new Date(r.decided_at) }),
      ]),
    );
    return {
      accounts: new Set(row.accounts),
      meters,
      lastAccepted,
      history,
      stored,
      meterStates: meterStatesOf(
        Object.fromEntries(meterRows.map((m) => [m.serial, m.updated_at])),
        acceptedRow.accepted,
      ),
    };
  }

  /**
   * Locks the meters' rows until `tx` ends, in serial order (so two transactions locking several
   * meters cannot deadlock), and returns their tokens as `BatchContext.meterStates` holds them.
   * The back office takes the same row lock before it changes a meter's accepted readings, so a
   * change is either committed before the tokens are read or waits until `tx` commits. FOR NO KEY
   * UPDATE conflicts with the back office's FOR UPDATE and with itself, but not with the key-share
   * locks of foreign-key checks. The tokens are read by a second statement: one that waited for a
   * lock would otherwise read the readings as they were before the lock holder committed.
   */
  async lockMeters(tx: Transaction, serials: string[]): Promise<Map<string, string>> {
    if (serials.length === 0) return new Map();
    const db = queryable(this.db, tx);
    const [{ locked }]: { locked: Record<string, string> }[] = await db.query(
      `SELECT coalesce(json_object_agg(serial, updated_at), '{}') AS locked FROM (
         SELECT serial, updated_at::text FROM meters WHERE serial = ANY($1::varchar[]) ORDER BY serial FOR NO KEY UPDATE) m`,
      [serials],
    );
    const [{ accepted }]: { accepted: Record<string, string> }[] = await db.query(
      `SELECT (${acceptedPerMeter(`readings WHERE status = 'accepted' AND meter_serial = ANY($1::varchar[])`)}) AS accepted`,
      [Object.keys(locked)],
    );
    return meterStatesOf(locked, accepted);
  }

  /**
   * Stores decisions in one statement; a submission id already present is left untouched.
   * Returns the ids this call did not write (stored by someone else first): usually none, so the
   * answer stays empty instead of echoing every id of the batch.
   */
  async insertDecisions(tx: Transaction, rows: DecidedReading[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const pick = <T>(f: (r: DecidedReading) => T) => rows.map(f);
    const d = decisionColumns(rows);
    const unwritten: { submission_id: string }[] = await queryable(this.db, tx).query(
      `WITH written AS (INSERT INTO readings (submission_id, channel, source_id, source_ref, account_number, meter_serial, submitted_values,
          t1, t2, t3, read_at, received_at, confidence, status, reasons, warnings, billing_period, consumption,
          consumption_total, consumption_days, decided_at, kafka_partition, kafka_offset, trace_id)
       SELECT submission_id, channel, source_id, source_ref, account_number, meter_serial, submitted_values::jsonb,
          t1, t2, t3, read_at, received_at, confidence, status, string_to_array(reasons, ','), string_to_array(warnings, ','),
          billing_period, consumption::jsonb, consumption_total, consumption_days, decided_at, kafka_partition, kafka_offset, trace_id
         FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::text[],
                     $8::numeric[], $9::numeric[], $10::numeric[], $11::timestamptz[], $12::timestamptz[], $13::numeric[],
                     $14::varchar[], $15::text[], $16::text[], $17::varchar[], $18::text[], $19::numeric[], $20::float8[],
                     $21::timestamptz[], $22::int[], $23::bigint[], $24::char(32)[])
           AS t(submission_id, channel, source_id, source_ref, account_number, meter_serial, submitted_values, t1, t2, t3,
                read_at, received_at, confidence, status, reasons, warnings, billing_period, consumption, consumption_total,
                consumption_days, decided_at, kafka_partition, kafka_offset, trace_id)
       ON CONFLICT (submission_id) DO NOTHING
       RETURNING submission_id)
       SELECT given.id AS submission_id FROM unnest($1::uuid[]) AS given(id)
        WHERE NOT EXISTS (SELECT 1 FROM written WHERE written.submission_id = given.id)`,
      [
        pick((r) => r.message.submissionId),
        pick((r) => r.message.channel),
        pick((r) => r.message.source.id),
        pick((r) => r.message.source.ref),
        pick((r) => r.message.accountNumber),
        pick((r) => r.message.meterSerial),
        pick((r) => JSON.stringify(r.message.values)),
        d.t1,
        d.t2,
        d.t3,
        pick((r) => r.message.readAt),
        pick((r) => r.message.receivedAt),
        pick((r) => r.message.confidence),
        d.status,
        d.reasons,
        d.warnings,
        d.billingPeriod,
        d.consumption,
        d.consumptionTotal,
        d.days,
        d.decidedAt,
        pick((r) => r.partition),
        pick((r) => r.offset),
        pick((r) => r.traceId),
      ],
    );
    return unwritten.map((r) => r.submission_id);
  }

  /** A stored submission; null until the processor recorded it. */
  async findSubmission(submissionId: string): Promise<StoredSubmission | null> {
    if (!isUuid(submissionId)) return null;
    const [row]: SubmissionRow[] = await this.db.query(
      `SELECT submission_id, channel, source_id, status, reasons, warnings, account_number, meter_serial, billing_period,
              submitted_values, read_at, received_at, trace_id
         FROM readings WHERE submission_id = $1`,
      [submissionId],
    );
    return row ? toStoredSubmission(row) : null;
  }

  /** Every submission recorded for a meter, oldest reading first, listed in the inclusive period range. */
  listByMeter(serial: string, range: PeriodRange): Promise<StoredReading[]> {
    return this.listReadings(
      `r.meter_serial = $1 AND ($2::text IS NULL OR ${LISTED_PERIOD} >= $2) AND ($3::text IS NULL OR ${LISTED_PERIOD} <= $3)`,
      [serial, range.from, range.to],
      'r.read_at, r.decided_at, r.submission_id',
    );
  }

  /** An account's readings of one period from every channel, newest first; capped, a period holds a handful. */
  listByAccountPeriod(
    accountNumber: string,
    period: string,
    limit = 500,
  ): Promise<StoredReading[]> {
    return this.listReadings(
      `r.account_number = $1 AND ${LISTED_PERIOD} = $2`,
      [accountNumber, period],
      `r.read_at DESC, r.decided_at DESC, r.submission_id LIMIT ${Number(limit)}`,
    );
  }

  private async listReadings(
    where: string,
    params: unknown[],
    orderBy: string,
  ): Promise<StoredReading[]> {
    const rows: ReadingRow[] = await this.db.query(
      `SELECT r.submission_id, r.channel, r.meter_serial, m.resource, r.status, r.reasons, r.warnings, r.billing_period,
              r.submitted_values, r.consumption, r.read_at, r.received_at, r.decided_at
         FROM readings r
         LEFT JOIN meters m ON m.serial = r.meter_serial
        WHERE ${where}
        ORDER BY ${orderBy}`,
      params,
    );
    return rows.map(toStoredReading);
  }

  async findOutcomes(submissionIds: string[]): Promise<OutcomeMessage[]> {
    const rows: OutcomeRow[] = await this.db.query(
      `SELECT ${OUTCOME_COLUMNS} FROM readings WHERE submission_id = ANY($1::uuid[])`,
      [submissionIds],
    );
    return rows.map(outcomeFromRow);
  }
}
