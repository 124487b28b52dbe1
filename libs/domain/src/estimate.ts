import { type EstimateBasis, RESOURCES, type Resource, type Zone } from '@gw/contracts';
import { formatUnits, toUnits } from './decimal';
import {
  addDays,
  addMonths,
  formatDate,
  type IsoDate,
  parseDate,
  type Period,
} from './moscow-time';
import { billingPeriodOf, windowOf, type WindowPolicy } from './submission-window';
import { type VerificationPeriod, verificationAt } from './verification';

/** The settings of the Decree-354 estimate rule (domain.md, "Estimates when no valid reading arrives"). */
export interface EstimatePolicy {
  /** How many consecutive periods without a reading the average covers, per resource. */
  averagePeriods: Record<Resource, number>;
  /** What the normative is multiplied by once a meter out of order has used up its average. */
  raisingCoefficients: Record<Resource, number>;
}

export const DEFAULT_ESTIMATE_POLICY: EstimatePolicy = {
  averagePeriods: { cold_water: 3, hot_water: 3, heat: 3, gas: 3, electricity: 6 },
  raisingCoefficients: { cold_water: 3, hot_water: 1.5, heat: 1.5, gas: 1.5, electricity: 1.5 },
};

/** An average needs this much history; with less there is none. */
export const MIN_AVERAGE_MONTHS = 3;
/** The history an average is taken over when the meter has it. */
export const FULL_AVERAGE_MONTHS = 6;
/** A meter out of order is estimated by its average for this many periods, then by the raised normative. */
export const OUT_OF_ORDER_AVERAGE_PERIODS = 3;
/** Estimated volumes carry three decimals (litres of water, watt-hours of electricity). */
export const ESTIMATE_FRACTION_DIGITS = 3;

export interface ZoneVolume {
  zone: Zone;
  value: string;
}

/** What a meter's accepted readings of one billing period consumed, zone by zone. */
export interface AcceptedPeriod {
  period: Period;
  consumption: ZoneVolume[];
  /**
   * Whether one of the period's readings started the count anew, without a consumption: the
   * meter's first reading without initial values, or its first after a change of zones. What the
   * meter used before it is unknown.
   */
  restarted: boolean;
}

export interface EstimateFacts {
  period: Period;
  resource: Resource;
  zones: readonly Zone[];
  /**
   * The period of the registry's initial values, from which the first accepted reading's
   * consumption is counted; null when the registry has none (the first reading is then the start).
   */
  baselinePeriod: Period | null;
  /**
   * The billing period of the meter's installation (the one a reading on that day would count
   * for): with neither readings nor initial values, it is unread since.
   */
  installedPeriod: Period;
  /** The meter's accepted readings before `period`, one entry per billing period. */
  history: readonly AcceptedPeriod[];
  /** The first period in which the meter is out of order (verification expired or unfit), or null. */
  outOfOrderFrom: Period | null;
  /** The account's normative monthly volume for the resource, or null when none was imported. */
  normative: string | null;
  /** How many of the account's meters of the resource share the normative (at least one). */
  sharing: number;
}

export type EstimateDecision =
  | {
      ok: true;
      method: 'average' | 'normative' | 'normative_raised';
      consecutive: number;
      consumption: ZoneVolume[];
      basis: EstimateBasis | null;
      coefficient: number | null;
    }
  | { ok: false; reason: 'NO_NORMATIVE' };

/** Months from `from` to `to` (negative when `to` is earlier). */
export function monthsBetween(from: Period, to: Period): number {
  const index = (p: Period) => Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7));
  return index(to) - index(from);
}

/** The period `months` away from `period`. */
export function addPeriods(period: Period, months: number): Period {
  return formatDate(addMonths(parseDate(`${period}-01`), months)).slice(0, 7);
}

/** Units rounded half up to `digits` decimals (units are millionths). */
function roundUnits(units: bigint, divisor: bigint, digits: number): bigint {
  const step = 10n ** BigInt(6 - digits) * divisor;
  return ((units + step / 2n) / step) * 10n ** BigInt(6 - digits);
}

const volume = (units: bigint): string => formatUnits(units, ESTIMATE_FRACTION_DIGITS);

/**
 * The meter's average monthly consumption: over the history since the last accepted period at
 * least six months before the latest one, or, when the meter has not been read that long, over
 * its whole period of use if that is at least three months. A count started anew (a change of
 * zones) starts the period of use again. Null when there is no average.
 */
export function averageConsumption(
  facts: Pick<EstimateFacts, 'zones' | 'baselinePeriod' | 'history'>,
): { consumption: ZoneVolume[]; basis: EstimateBasis } | null {
  const history = [...facts.history].sort((a, b) => a.period.localeCompare(b.period));
  const last = history.at(-1);
  if (!last) return null;
  const older = history.filter((h) => monthsBetween(h.period, last.period) >= FULL_AVERAGE_MONTHS);
  const restart = history.filter((h) => h.restarted).at(-1)?.period;
  const usual = older.at(-1)?.period ?? facts.baselinePeriod ?? history[0].period;
  const start = restart !== undefined && restart > usual ? restart : usual;
  const periods = monthsBetween(start, last.period);
  if (periods < MIN_AVERAGE_MONTHS) return null;
  const counted = history.filter((h) => h.period > start);
  const consumption = facts.zones.map((zone) => {
    let sum = 0n;
    for (const h of counted)
      for (const c of h.consumption) if (c.zone === zone) sum += toUnits(c.value) ?? 0n;
    return { zone, value: volume(roundUnits(sum, BigInt(periods), ESTIMATE_FRACTION_DIGITS)) };
  });
  return { consumption, basis: { from: addPeriods(start, 1), to: last.period, periods } };
}

/**
 * Decree 354, items 59 and 60: the charge for a period without an accepted reading. The average
 * for at most N consecutive periods (N per resource), else the normative; a meter out of order
 * gets its average for the first three periods from its due date, then the normative times the
 * raising coefficient.
 */
export function decideEstimate(facts: EstimateFacts, policy: EstimatePolicy): EstimateDecision {
  const lastRead = facts.history.reduce<Period | null>(
    (latest, h) => (latest === null || h.period > latest ? h.period : latest),
    null,
  );
  const since = lastRead ?? facts.baselinePeriod;
  // Periods without a reading, this one included: after the last reading (or the initial values),
  // or, for a meter with neither, from the period it was installed in, that one too.
  const consecutive = Math.max(
    1,
    since === null
      ? monthsBetween(facts.installedPeriod, facts.period) + 1
      : monthsBetween(since, facts.period),
  );
  const average = averageConsumption(facts);
  const outOfOrder = facts.outOfOrderFrom !== null && facts.outOfOrderFrom <= facts.period;
  const raised =
    outOfOrder &&
    monthsBetween(facts.outOfOrderFrom as Period, facts.period) >= OUT_OF_ORDER_AVERAGE_PERIODS;
  if (average && !raised && consecutive <= policy.averagePeriods[facts.resource])
    return { ok: true, method: 'average', consecutive, coefficient: null, ...average };
  if (facts.normative === null) return { ok: false, reason: 'NO_NORMATIVE' };
  const coefficient = raised ? policy.raisingCoefficients[facts.resource] : null;
  // The meter's share times the coefficient (at most 3 decimals), rounded once from the exact value.
  const units = (toUnits(facts.normative) ?? 0n) * BigInt(Math.round((coefficient ?? 1) * 1000));
  const divisor = 1000n * BigInt(Math.max(1, facts.sharing));
  return {
    ok: true,
    method: raised ? 'normative_raised' : 'normative',
    consecutive,
    consumption: [
      { zone: 'T1', value: volume(roundUnits(units, divisor, ESTIMATE_FRACTION_DIGITS)) },
    ],
    basis: null,
    coefficient,
  };
}

/** The last day of a period's submission window for a resource: estimates wait until it has passed. */
export function windowClosesOn(policy: WindowPolicy, resource: Resource, period: Period): IsoDate {
  const [year, month] = period.split('-').map(Number);
  return `${period}-${String(windowOf(policy, resource, year, month).closeDay).padStart(2, '0')}`;
}

/** A resource whose window of a period is still open on the day asked about. */
export interface PendingWindow {
  resource: Resource;
  closesOn: IsoDate;
}

/**
 * The last day of `period`'s window per resource, split by whether it is before `today`: a closed
 * window's meters can be estimated, a pending one's wait.
 */
export function periodWindows(
  policy: WindowPolicy,
  period: Period,
  today: IsoDate,
): { closed: Partial<Record<Resource, IsoDate>>; pending: PendingWindow[] } {
  const closed: Partial<Record<Resource, IsoDate>> = {};
  const pending: PendingWindow[] = [];
  for (const resource of RESOURCES) {
    const closesOn = windowClosesOn(policy, resource, period);
    if (closesOn < today) closed[resource] = closesOn;
    else pending.push({ resource, closesOn });
  }
  return { closed, pending };
}

/**
 * The first period in which a meter is out of order: the period a reading taken the day after
 * its due date would count for. `dueOn` null (no verification in force) makes it `period` itself.
 */
export function outOfOrderFrom(
  policy: WindowPolicy,
  resource: Resource,
  dueOn: IsoDate | null,
  period: Period,
): Period {
  if (dueOn === null) return period;
  return billingPeriodOf(policy, resource, parseDate(addDays(dueOn, 1))).billingPeriod;
}

/**
 * The first period in which a meter is out of order as its verification history stands at the
 * close of `period`'s window (`closesOn`), or null when a fit verification covers that day. An
 * unfit finding in force counts from the period a reading taken on its date would count for, an
 * expired verification from the day after its due date; with none in force, from `period`.
 */
export function outOfOrderAt(
  policy: WindowPolicy,
  meter: {
    resource: Resource;
    verificationDueOn: IsoDate;
    verifications: readonly VerificationPeriod[];
  },
  closesOn: IsoDate,
  period: Period,
): Period | null {
  const inForce = verificationAt(meter, parseDate(closesOn));
  switch (inForce.kind) {
    case 'unfit':
      return billingPeriodOf(policy, meter.resource, parseDate(inForce.since)).billingPeriod;
    case 'none':
      return period;
    case 'fit':
      return inForce.dueOn < closesOn
        ? outOfOrderFrom(policy, meter.resource, inForce.dueOn, period)
        : null;
  }
}
