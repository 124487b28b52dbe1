import { isUuid, type SubmissionMessage } from '@gw/contracts';
import type {
  MeterFacts,
  PeriodRange,
  PeriodUsage,
  ReadingDecision,
  RecordedReading,
  VerificationPeriod,
  ZoneUnits,
} from '@gw/domain';
import { formatUnits, SCALE_DIGITS, toUnits } from '@gw/domain';
import type { DataSource } from 'typeorm';
import { MOSCOW_ZONE } from '../moscow-zone';
import { STORED_READING_COLUMNS, type StoredReadingRow, toStoredReading } from '../stored-reading';
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
  /** The values of the meter's other accepted readings of that billing period. */
  periodValues?: ZoneUnits[];
}

/** Everything the processor needs to decide a batch, loaded in a few set-based queries. */
export interface BatchContext {
  accounts: Set<string>;
  meters: Map<string, MeterRecord>;
  lastAccepted: Map<string, LastAccepted>;
  history: Map<string, PeriodUsage[]>;
  /**
   * Per account whose water meters were loaded (`loadWaterMeters`), their serials; their rows,
   * last accepted readings and history are then in the maps above, for the swapped-water rule.
   */
  waterMeters: Map<string, string[]>;
  /** The readings of the batch already stored, by submission id. */
  stored: Map<string, RecordedReading>;
  /**
   * Per known meter, a token of everything a decision depends on that others change: the meter's
   * row (registry import, verification) and its accepted readings (operators' approvals and
   * revisions stamp decided_at). Equal tokens mean the facts loaded are still current.
   */
  meterStates: Map<string, string>;
}

/** The water meters of some accounts, for the swapped-water rule. */
const WATER_OF_ACCOUNTS = `SELECT serial FROM meters
  WHERE account_number = ANY($1::varchar[]) AND resource IN ('cold_water', 'hot_water')`;

/** Facts of some meters: their registry rows, last accepted readings and recent consumption. */
export type MeterFactsLoad = Pick<BatchContext, 'meters' | 'lastAccepted' | 'history'>;

/** The water meters of some accounts (`ReadingRepository.loadWaterMeters`). */
export type WaterMetersLoad = MeterFactsLoad & Pick<BatchContext, 'waterMeters'>;

/**
 * The context with the water meters of more accounts. What the context holds already (the
 * batch's own meters, perhaps refreshed under their lock) stays as it is.
 */
export function withWaterMeters(context: BatchContext, water: WaterMetersLoad): BatchContext {
  const under = <V>(loaded: Map<string, V>, kept: Map<string, V>) => new Map([...loaded, ...kept]);
  return {
    ...context,
    meters: under(water.meters, context.meters),
    lastAccepted: under(water.lastAccepted, context.lastAccepted),
    history: under(water.history, context.history),
    waterMeters: new Map([...context.waterMeters, ...water.waterMeters]),
  };
}

/**
 * A meter's token, as `BatchContext.meterStates` holds it: its row's last change (registry
 * import, verification) and the version of its accepted readings, which every statement that
 * writes one of them bumps (migration `MeterAcceptedVersion1765100000000`).
 */
export const METER_STATE = `updated_at::text || '|' || accepted_version`;

/**
 * In one scan of the meters' accepted readings, what decisions need of them: the latest reading
 * of each meter (`latest`), the others of its billing period (`same_period`, for duplicates) and
 * the readings with consumption of its last four periods with any (`recent`).
 */
const ACCEPTED_FACTS = `SELECT meter_serial, read_at, billing_period, t1::text, t2::text, t3::text,
    consumption_total::text AS total, consumption_days AS days, latest,
    NOT latest AND billing_period = latest_period AS same_period,
    consumption_total IS NOT NULL AND period_rank <= 4 AS recent
   FROM (SELECT meter_serial, read_at, billing_period, t1, t2, t3, consumption_total, consumption_days,
           row_number() OVER latest_first = 1 AS latest,
           first_value(billing_period) OVER latest_first AS latest_period,
           dense_rank() OVER (PARTITION BY meter_serial, consumption_total IS NULL ORDER BY billing_period DESC) AS period_rank
      FROM readings WHERE status = 'accepted' AND meter_serial = ANY($1::varchar[])
      WINDOW latest_first AS (PARTITION BY meter_serial ORDER BY read_at DESC, decided_at DESC)) accepted
  WHERE latest OR billing_period = latest_period OR (consumption_total IS NOT NULL AND period_rank <= 4)`;

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
    waterMeters: new Map([...base.waterMeters, ...fresh.waterMeters]),
    stored: new Map([...base.stored, ...fresh.stored]),
    meterStates: replace(base.meterStates, fresh.meterStates),
  };
}

/**
 * The period a reading is listed under: its billing period, or, for a reading rejected before one
 * was assigned, the Moscow month it was read (so it still shows up where people look for it).
 */
const LISTED_PERIOD = `COALESCE(r.billing_period, to_char(r.read_at AT TIME ZONE ${MOSCOW_ZONE}, 'YYYY-MM'))`;

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

/** A reading's stored zone columns as units, by zone (a null column: no such zone). */
export const zoneUnits = (t1: string | null, t2: string | null, t3: string | null): ZoneUnits => {
  const values: ZoneUnits = {};
  if (t1 !== null) values.T1 = toUnits(t1) as bigint;
  if (t2 !== null) values.T2 = toUnits(t2) as bigint;
  if (t3 !== null) values.T3 = toUnits(t3) as bigint;
  return values;
};

/** Runs the queries one after another on a transaction's one connection, else at once on the pool. */
async function inTurnOrAtOnce<T extends unknown[]>(
  inTurn: boolean,
  queries: { [K in keyof T]: () => Promise<T[K]> },
): Promise<T> {
  if (!inTurn) return Promise.all(queries.map((query) => query())) as Promise<T>;
  const results: unknown[] = [];
  for (const query of queries) results.push(await query());
  return results as T;
}

interface MeterRow extends MeterRegisterRow {
  installed_on: string;
  initial_t1: string | null;
  initial_t2: string | null;
  initial_t3: string | null;
  initial_on: string | null;
  state: string;
  verifications: VerificationPeriod[];
}

interface AcceptedFactsRow {
  meter_serial: string;
  read_at: Date;
  billing_period: string | null;
  t1: string | null;
  t2: string | null;
  t3: string | null;
  total: string | null;
  days: number | null;
  latest: boolean;
  same_period: boolean;
  recent: boolean;
}

type LoadedMeters = MeterFactsLoad & Pick<BatchContext, 'meterStates'>;

/** Submissions and their decisions. */
export class ReadingRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Loads in a few set-based queries (the accounts only of readings whose account no loaded meter
   * is on); given `tx`, inside that transaction (one connection, so the queries run one after
   * the other). No account's water meters are loaded with it: those come from `loadWaterMeters`,
   * for the few readings whose value may be swapped.
   */
  async loadContext(
    submissionIds: string[],
    accountNumbers: string[],
    serials: string[],
    tx?: Transaction,
  ): Promise<BatchContext> {
    const db = queryable(this.db, tx);
    const [facts, storedRows] = await inTurnOrAtOnce<[LoadedMeters, StoredReadingRow[]]>(!!tx, [
      () => this.loadMeters(serials, tx),
      () =>
        db.query(
          `SELECT ${STORED_READING_COLUMNS} FROM readings r WHERE r.submission_id = ANY($1::uuid[])`,
          [submissionIds],
        ),
    ]);
    // A registered meter's account exists (a foreign key); only the others are looked up.
    const accounts = new Set([...facts.meters.values()].map((m) => m.accountNumber));
    const others = accountNumbers.filter((a) => !accounts.has(a));
    if (others.length > 0) {
      const rows: { account_number: string }[] = await db.query(
        `SELECT account_number FROM accounts WHERE account_number = ANY($1::varchar[])`,
        [others],
      );
      for (const r of rows) accounts.add(r.account_number);
    }
    const stored = new Map(storedRows.map((r) => [r.submission_id, toStoredReading(r)]));
    return {
      accounts,
      meters: facts.meters,
      lastAccepted: facts.lastAccepted,
      history: facts.history,
      waterMeters: new Map(),
      stored,
      meterStates: facts.meterStates,
    };
  }

  /**
   * The water meters of `accountNumbers` with their facts: their serials, then two set-based
   * queries; every account asked for is in `waterMeters`, with no serials when it has none.
   */
  async loadWaterMeters(accountNumbers: string[], tx?: Transaction): Promise<WaterMetersLoad> {
    const water: { serial: string }[] = await queryable(this.db, tx).query(WATER_OF_ACCOUNTS, [
      accountNumbers,
    ]);
    const facts = await this.loadMeters(
      water.map((m) => m.serial),
      tx,
    );
    const waterMeters = new Map<string, string[]>(accountNumbers.map((a) => [a, []]));
    for (const meter of facts.meters.values())
      waterMeters.get(meter.accountNumber)?.push(meter.serial);
    return {
      meters: facts.meters,
      lastAccepted: facts.lastAccepted,
      history: facts.history,
      waterMeters,
    };
  }

  /**
   * Registry rows, last accepted readings, recent consumption and tokens of the meters `serials`.
   * The rows (with the tokens) are read before the readings, never after: a change committed in
   * between then leaves a token older than the facts, which the lock finds moved, rather than a
   * current token on outdated facts.
   */
  private async loadMeters(serials: string[], tx?: Transaction): Promise<LoadedMeters> {
    const db = queryable(this.db, tx);
    // A statement over some serials ($1); not sent when there are none.
    const ofSerials = <Row>(sql: string, some: string[]): Promise<Row[]> =>
      some.length === 0 ? Promise.resolve([]) : db.query(sql, [some]);
    const meterRows = await ofSerials<MeterRow>(
      `SELECT serial, account_number, resource, zones, integer_digits, fraction_digits, verification_due_on::text AS due_on,
          installed_on::text, decommissioned_on::text AS decommissioned_on, initial_t1::text, initial_t2::text, initial_t3::text, initial_on::text,
          ${METER_STATE} AS state,
          (SELECT coalesce(json_agg(json_build_object('verifiedOn', v.verified_on::text, 'dueOn', v.due_on::text, 'applicable', v.applicable)), '[]')
             FROM meter_verifications v WHERE v.serial = meters.serial) AS verifications
         FROM meters WHERE serial = ANY($1::varchar[])`,
      serials,
    );
    const acceptedRows = await ofSerials<AcceptedFactsRow>(
      ACCEPTED_FACTS,
      meterRows.map((m) => m.serial),
    );
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
        installedOn: r.installed_on,
        decommissionedOn: r.decommissioned_on,
        initialValues: zoneUnits(r.initial_t1, r.initial_t2, r.initial_t3),
        initialOn: r.initial_on,
      });
    }
    const lastAccepted = new Map<string, LastAccepted>();
    const samePeriod = new Map<string, ZoneUnits[]>();
    const usage = new Map<string, Map<string, PeriodUsage>>();
    for (const r of acceptedRows) {
      if (r.latest)
        lastAccepted.set(r.meter_serial, {
          readAt: r.read_at,
          billingPeriod: r.billing_period,
          values: zoneUnits(r.t1, r.t2, r.t3),
          periodValues: [],
        });
      if (r.same_period)
        samePeriod.set(r.meter_serial, [
          ...(samePeriod.get(r.meter_serial) ?? []),
          zoneUnits(r.t1, r.t2, r.t3),
        ]);
      if (!r.recent || r.billing_period === null || r.total === null) continue;
      const periods = usage.get(r.meter_serial) ?? new Map<string, PeriodUsage>();
      const period = periods.get(r.billing_period);
      periods.set(r.billing_period, {
        period: r.billing_period,
        consumptionUnits: (period?.consumptionUnits ?? 0n) + (toUnits(r.total) ?? 0n),
        days: (period?.days ?? 0) + (r.days ?? 0),
      });
      usage.set(r.meter_serial, periods);
    }
    for (const [serial, values] of samePeriod) {
      const last = lastAccepted.get(serial);
      if (last) last.periodValues = values;
    }
    const history = new Map([...usage].map(([serial, periods]) => [serial, [...periods.values()]]));
    return {
      meters,
      lastAccepted,
      history,
      meterStates: new Map(meterRows.map((m) => [m.serial, m.state])),
    };
  }

  /**
   * Locks the meters' rows until `tx` ends, in serial order (so two transactions locking several
   * meters cannot deadlock), and returns their tokens as `BatchContext.meterStates` holds them.
   * The back office takes the same row lock before it changes a meter's accepted readings, so a
   * change is either committed before the tokens are read or waits until `tx` commits. FOR NO KEY
   * UPDATE conflicts with the back office's FOR UPDATE and with itself, but not with the key-share
   * locks of foreign-key checks. A statement that waited for a lock returns the row as the lock
   * holder committed it, so its token too.
   */
  async lockMeters(tx: Transaction, serials: string[]): Promise<Map<string, string>> {
    const locked: { serial: string; state: string }[] = await queryable(this.db, tx).query(
      `SELECT serial, ${METER_STATE} AS state FROM meters WHERE serial = ANY($1::varchar[])
        ORDER BY serial FOR NO KEY UPDATE`,
      [serials],
    );
    return new Map(locked.map((m) => [m.serial, m.state]));
  }

  /**
   * Stores decisions in one statement; a submission id already present is left untouched.
   * Returns the ids this call actually wrote.
   */
  async insertDecisions(tx: Transaction, rows: DecidedReading[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const pick = <T>(f: (r: DecidedReading) => T) => rows.map(f);
    const d = decisionColumns(rows);
    const inserted: { submission_id: string }[] = await queryable(this.db, tx).query(
      `INSERT INTO readings (submission_id, channel, source_id, source_ref, account_number, meter_serial, submitted_values,
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
       RETURNING submission_id`,
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
        // The instants the rules decided on (milliseconds): PostgreSQL would round a finer
        // fraction to its own microseconds, up to the next day at worst.
        pick((r) => new Date(r.message.readAt)),
        pick((r) => new Date(r.message.receivedAt)),
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
    return new Set(inserted.map((r) => r.submission_id));
  }

  /** A stored submission; null until the processor recorded it. */
  async findSubmission(submissionId: string): Promise<RecordedReading | null> {
    if (!isUuid(submissionId)) return null;
    const [reading] = await this.select(`r.submission_id = $1`, [submissionId]);
    return reading ?? null;
  }

  /** The stored ones of these submissions, in no particular order. */
  findMany(submissionIds: string[]): Promise<RecordedReading[]> {
    return this.select(`r.submission_id = ANY($1::uuid[])`, [submissionIds]);
  }

  /** Every submission recorded for a meter, oldest reading first, listed in the inclusive period range. */
  listByMeter(serial: string, range: PeriodRange): Promise<RecordedReading[]> {
    return this.select(
      `r.meter_serial = $1 AND ($2::text IS NULL OR ${LISTED_PERIOD} >= $2) AND ($3::text IS NULL OR ${LISTED_PERIOD} <= $3)
        ORDER BY r.read_at, r.decided_at, r.submission_id`,
      [serial, range.from, range.to],
    );
  }

  /** An account's readings of one period from every channel, newest first; capped, a period holds a handful. */
  listByAccountPeriod(
    accountNumber: string,
    period: string,
    limit = 500,
  ): Promise<RecordedReading[]> {
    return this.select(
      `r.account_number = $1 AND ${LISTED_PERIOD} = $2
        ORDER BY r.read_at DESC, r.decided_at DESC, r.submission_id LIMIT ${Number(limit)}`,
      [accountNumber, period],
    );
  }

  /** The readings `where` (and its ORDER BY) picks. */
  private async select(where: string, params: unknown[]): Promise<RecordedReading[]> {
    const rows: StoredReadingRow[] = await this.db.query(
      `SELECT ${STORED_READING_COLUMNS} FROM readings r WHERE ${where}`,
      params,
    );
    return rows.map(toStoredReading);
  }
}
