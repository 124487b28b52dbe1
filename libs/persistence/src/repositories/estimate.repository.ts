import {
  ESTIMATE_SCHEMA,
  type EstimateBasis,
  type EstimateMessage,
  type Resource,
  type Zone,
} from '@gw/contracts';
import {
  type AcceptedPeriod,
  formatUnits,
  type IsoDate,
  type Period,
  toMoscowIso,
  toUnits,
  type VerificationPeriod,
  type ZoneVolume,
} from '@gw/domain';
import type { DataSource } from 'typeorm';
import { queryable, type Transaction } from '../transaction';

/** What the estimate rule needs to know about one meter without an accepted reading for a period. */
export interface EstimateCandidate {
  serial: string;
  accountNumber: string;
  resource: Resource;
  zones: number;
  /** The last day of the period's window for the meter's resource. */
  closesOn: IsoDate;
  initialOn: IsoDate | null;
  installedOn: IsoDate;
  verificationDueOn: IsoDate;
  verifications: VerificationPeriod[];
  /** The account's normative for the resource, and how many of its meters share it. */
  normative: string | null;
  sharing: number;
  history: AcceptedPeriod[];
}

interface CandidateRow {
  serial: string;
  account_number: string;
  resource: Resource;
  zones: number;
  closes_on: string;
  initial_on: string | null;
  installed_on: string;
  verification_due_on: string;
  verifications: VerificationPeriod[] | null;
  normative: string | null;
  sharing: string;
  history: { period: Period; consumption: ZoneVolume[] }[] | null;
}

/** An estimate as the rule decided it, to be stored and published. */
export interface NewEstimate {
  estimateId: string;
  serial: string;
  billingPeriod: Period;
  accountNumber: string;
  resource: Resource;
  method: 'average' | 'normative' | 'normative_raised';
  consecutive: number;
  consumption: ZoneVolume[];
  basis: EstimateBasis | null;
  coefficient: number | null;
  decidedAt: Date;
}

/** A stored estimate, for the back office's list and the billing export. */
export interface StoredEstimate extends NewEstimate {
  publishedAt: Date | null;
  supersededBy: string | null;
  supersededAt: Date | null;
}

interface EstimateRow {
  estimate_id: string;
  meter_serial: string;
  billing_period: string;
  account_number: string;
  resource: Resource;
  method: NewEstimate['method'];
  consecutive: number;
  consumption: ZoneVolume[];
  basis: EstimateBasis | null;
  coefficient: string | null;
  decided_at: Date;
  published_at: Date | null;
  superseded_by: string | null;
  superseded_at: Date | null;
}

const ESTIMATE_COLUMNS = `estimate_id, meter_serial, billing_period, account_number, resource, method, consecutive,
  consumption, basis, coefficient::text, decided_at, published_at, superseded_by, superseded_at`;

function toStoredEstimate(r: EstimateRow): StoredEstimate {
  return {
    estimateId: r.estimate_id,
    serial: r.meter_serial,
    billingPeriod: r.billing_period,
    accountNumber: r.account_number,
    resource: r.resource,
    method: r.method,
    consecutive: r.consecutive,
    consumption: r.consumption,
    basis: r.basis,
    coefficient: r.coefficient === null ? null : Number(r.coefficient),
    decidedAt: r.decided_at,
    publishedAt: r.published_at,
    supersededBy: r.superseded_by,
    supersededAt: r.superseded_at,
  };
}

/** The message of an estimate (contract section 10). */
export function estimateMessage(e: NewEstimate): EstimateMessage {
  return {
    schema: ESTIMATE_SCHEMA,
    estimateId: e.estimateId,
    accountNumber: e.accountNumber,
    meterSerial: e.serial,
    billingPeriod: e.billingPeriod,
    method: e.method,
    consecutive: e.consecutive,
    consumption: e.consumption,
    basis: e.basis,
    coefficient: e.coefficient,
    supersedes: null,
    decidedAt: toMoscowIso(e.decidedAt),
  };
}

/**
 * Sums the consumption of a period's accepted readings zone by zone, with as many decimals as the
 * readings carry (the meter's fraction digits): the sum is exact, rounding is the estimate's own.
 */
function periodConsumption(readings: ZoneVolume[][]): ZoneVolume[] {
  const sums = new Map<Zone, bigint>();
  let digits = 0;
  for (const consumption of readings)
    for (const c of consumption) {
      sums.set(c.zone, (sums.get(c.zone) ?? 0n) + (toUnits(c.value) ?? 0n));
      digits = Math.max(digits, c.value.split('.')[1]?.length ?? 0);
    }
  return [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([zone, units]) => ({ zone, value: formatUnits(units, digits) }));
}

/** A pending row of the outbox with what its messages need. */
interface PendingRow extends EstimateRow {
  readings: { submission_id: string; consumption: ZoneVolume[] }[] | null;
}

/**
 * Estimates of Decree 354 (contract section 10): one row per meter and period, which is also the
 * outbox of its message and of the message that supersedes it once an accepted reading arrives.
 */
export class EstimateRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Up to `limit` meters of the resources in `closesOn` after `afterSerial` (in serial order) that
   * were in service when the period's window for their resource closed and have neither an
   * accepted reading nor an estimate for the period.
   */
  async candidates(
    period: Period,
    closesOn: Partial<Record<Resource, IsoDate>>,
    afterSerial: string,
    limit: number,
  ): Promise<{ candidates: EstimateCandidate[]; lastSerial: string | null }> {
    const resources = Object.keys(closesOn) as Resource[];
    const rows: (CandidateRow & { skipped: boolean })[] = await this.db.query(
      `WITH chunk AS (
         SELECT m.*, c.closes_on
           FROM meters m
           JOIN unnest($1::varchar[], $2::date[]) c (resource, closes_on) ON c.resource = m.resource
          WHERE m.serial > $3 AND m.installed_on <= c.closes_on
            AND (m.decommissioned_on IS NULL OR m.decommissioned_on > c.closes_on)
          ORDER BY m.serial LIMIT $5)
       SELECT m.serial, m.account_number, m.resource, m.zones, m.closes_on::text AS closes_on,
              m.initial_on::text AS initial_on, m.installed_on::text AS installed_on,
              m.verification_due_on::text AS verification_due_on,
              n.monthly_volume::text AS normative,
              EXISTS (SELECT 1 FROM readings r
                       WHERE r.meter_serial = m.serial AND r.billing_period = $4 AND r.status = 'accepted')
                OR EXISTS (SELECT 1 FROM meter_estimates e
                            WHERE e.billing_period = $4 AND e.meter_serial = m.serial) AS skipped,
              (SELECT count(*) FROM meters o
                WHERE o.account_number = m.account_number AND o.resource = m.resource
                  AND o.installed_on <= m.closes_on
                  AND (o.decommissioned_on IS NULL OR o.decommissioned_on > m.closes_on)) AS sharing,
              (SELECT json_agg(json_build_object('verifiedOn', v.verified_on::text, 'dueOn', v.due_on::text))
                 FROM meter_verifications v WHERE v.serial = m.serial) AS verifications,
              (SELECT json_agg(json_build_object('period', r.billing_period, 'consumption', r.consumption))
                 FROM readings r
                WHERE r.meter_serial = m.serial AND r.status = 'accepted' AND r.billing_period < $4) AS history
         FROM chunk m
         LEFT JOIN normatives n ON n.account_number = m.account_number AND n.resource = m.resource
        ORDER BY m.serial`,
      [resources, resources.map((r) => closesOn[r]), afterSerial, period, limit],
    );
    return {
      lastSerial: rows.at(-1)?.serial ?? null,
      candidates: rows
        .filter((r) => !r.skipped)
        .map((r) => ({
          serial: r.serial,
          accountNumber: r.account_number,
          resource: r.resource,
          zones: r.zones,
          closesOn: r.closes_on,
          initialOn: r.initial_on,
          installedOn: r.installed_on,
          verificationDueOn: r.verification_due_on,
          verifications: r.verifications ?? [],
          normative: r.normative,
          sharing: Number(r.sharing),
          history: mergePeriods(r.history ?? []),
        })),
    };
  }

  /**
   * Stores the estimates not stored before whose period has no accepted reading by now; returns
   * the ids stored. The meters are share-locked first, in serial order, so a reading being
   * stored for one of them (its writer holds the meter's row lock) is committed before the check,
   * and one stored afterwards waits for this transaction and then finds the estimate to supersede.
   */
  async insert(tx: Transaction, estimates: NewEstimate[]): Promise<Set<string>> {
    if (estimates.length === 0) return new Set();
    const db = queryable(this.db, tx);
    await db.query(
      `SELECT 1 FROM meters WHERE serial = ANY ($1::varchar[]) ORDER BY serial FOR SHARE`,
      [estimates.map((e) => e.serial)],
    );
    const rows: { estimate_id: string }[] = await db.query(
      `INSERT INTO meter_estimates (estimate_id, meter_serial, billing_period, account_number, resource,
              method, consecutive, consumption, basis, coefficient, decided_at)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::char(7)[], $4::varchar[], $5::varchar[],
              $6::varchar[], $7::smallint[], $8::jsonb[], $9::jsonb[], $10::numeric[], $11::timestamptz[])
                  AS e (estimate_id, meter_serial, billing_period)
        WHERE NOT EXISTS (SELECT 1 FROM readings r
                           WHERE r.meter_serial = e.meter_serial AND r.billing_period = e.billing_period
                             AND r.status = 'accepted')
       ON CONFLICT DO NOTHING RETURNING estimate_id`,
      [
        estimates.map((e) => e.estimateId),
        estimates.map((e) => e.serial),
        estimates.map((e) => e.billingPeriod),
        estimates.map((e) => e.accountNumber),
        estimates.map((e) => e.resource),
        estimates.map((e) => e.method),
        estimates.map((e) => e.consecutive),
        estimates.map((e) => JSON.stringify(e.consumption)),
        estimates.map((e) => (e.basis === null ? null : JSON.stringify(e.basis))),
        estimates.map((e) => e.coefficient),
        estimates.map((e) => e.decidedAt),
      ],
    );
    return new Set(rows.map((r) => r.estimate_id));
  }

  /**
   * Locks up to `limit` rows with a message to publish, hands the messages to `publish` and marks
   * them published when it resolves (nothing is marked when it throws). An estimate whose period
   * got an accepted reading while it was being stored is marked superseded here, so the trigger's
   * race with the estimate run loses nothing. Returns how many rows were handled.
   */
  async publishPending(
    limit: number,
    publish: (messages: EstimateMessage[]) => Promise<void>,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows: PendingRow[] = await tx.query(
        `SELECT ${ESTIMATE_COLUMNS},
                (SELECT json_agg(json_build_object('submission_id', r.submission_id, 'consumption', r.consumption)
                                 ORDER BY r.read_at)
                   FROM readings r
                  WHERE r.meter_serial = e.meter_serial AND r.billing_period = e.billing_period
                    AND r.status = 'accepted') AS readings
           FROM meter_estimates e
          WHERE published_at IS NULL OR (superseded_by IS NOT NULL AND superseding_published_at IS NULL)
          ORDER BY decided_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const messages: EstimateMessage[] = [];
      const superseded: { id: string; by: string; at: Date }[] = [];
      for (const row of rows) {
        const estimate = toStoredEstimate(row);
        if (estimate.publishedAt === null) messages.push(estimateMessage(estimate));
        const readings = row.readings ?? [];
        if (readings.length === 0) continue;
        const by =
          estimate.supersededBy ?? (readings.at(-1) as { submission_id: string }).submission_id;
        const at = estimate.supersededAt ?? new Date();
        superseded.push({ id: estimate.estimateId, by, at });
        messages.push({
          ...estimateMessage(estimate),
          method: 'reading',
          consecutive: 0,
          consumption: periodConsumption(readings.map((r) => r.consumption)),
          basis: null,
          coefficient: null,
          supersedes: estimate.estimateId,
          decidedAt: toMoscowIso(at),
        });
      }
      await publish(messages);
      await tx.query(
        `UPDATE meter_estimates e
            SET published_at = coalesce(e.published_at, now()),
                superseded_by = coalesce(e.superseded_by, s.by),
                superseded_at = coalesce(e.superseded_at, s.at),
                superseding_published_at = CASE WHEN s.by IS NULL THEN NULL ELSE now() END
           FROM unnest($1::uuid[]) AS p (id)
           LEFT JOIN unnest($2::uuid[], $3::uuid[], $4::timestamptz[]) AS s (id, by, at) ON s.id = p.id
          WHERE e.estimate_id = p.id`,
        [
          rows.map((r) => r.estimate_id),
          superseded.map((s) => s.id),
          superseded.map((s) => s.by),
          superseded.map((s) => s.at),
        ],
      );
      return rows.length;
    });
  }

  /** One page of a period's estimates in serial order, and how many there are. */
  async listByPeriod(
    period: Period,
    page: { afterSerial: string; limit: number },
  ): Promise<StoredEstimate[]> {
    const rows: EstimateRow[] = await this.db.query(
      `SELECT ${ESTIMATE_COLUMNS} FROM meter_estimates
        WHERE billing_period = $1 AND meter_serial > $2 ORDER BY meter_serial LIMIT $3`,
      [period, page.afterSerial, page.limit],
    );
    return rows.map(toStoredEstimate);
  }
}

/** One entry per period: a period's accepted readings' consumption summed. */
function mergePeriods(readings: { period: Period; consumption: ZoneVolume[] }[]): AcceptedPeriod[] {
  const byPeriod = new Map<Period, ZoneVolume[][]>();
  for (const r of readings)
    byPeriod.set(r.period, [...(byPeriod.get(r.period) ?? []), r.consumption]);
  return [...byPeriod].map(([period, consumption]) => ({
    period,
    consumption: periodConsumption(consumption),
    restarted: consumption.some((c) => c.length === 0),
  }));
}
