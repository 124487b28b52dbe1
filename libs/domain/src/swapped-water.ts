import type { ReasonCode, Zone } from '@gw/contracts';
import { type CalendarDate, DAY_MS, formatDate } from './moscow-time';
import { averageUse, type DailyCeilings, isConsumptionSpike } from './plausibility';
import type { MeterFacts, MeterState, ReadingInput } from './reading-decision';
import { readZoneValues, zonesMatch } from './register';
import { dueOnAt, verificationStatus } from './verification';

/** Another meter of the reading's account, with the state the rules count from. */
export interface SiblingMeter {
  meter: MeterFacts;
  state: MeterState;
}

/** The codes a swap explains: a water value too low or too high for its own meter. */
export const SWAP_EXPLAINS: readonly ReasonCode[] = ['VALUE_DECREASED', 'CONSUMPTION_SPIKE'];

const WATER = new Set(['cold_water', 'hot_water']);

/** Whether `meter` is in the flat on `day`: installed by then and not yet decommissioned. */
const inService = (meter: MeterFacts, day: string) =>
  meter.installedOn <= day && (meter.decommissionedOn === null || meter.decommissionedOn > day);

/**
 * Whether the swapped-water rule could change `decision` on `meter`: a water meter's value the
 * rules found too low or too high. Only then do the account's other meters need to be known.
 */
export function mayBeSwapped(
  decision: { reasons: readonly ReasonCode[] },
  meter: MeterFacts | undefined,
): boolean {
  return (
    meter !== undefined &&
    WATER.has(meter.resource) &&
    decision.reasons.some((code) => SWAP_EXPLAINS.includes(code))
  );
}

/**
 * The meter a water value could have been meant for: the account's other water meter, when the
 * account has exactly one cold and one hot water meter in service on `on` and `meter` is one of
 * them. Null otherwise (two cold meters, a meter without a partner, electricity, …).
 */
export function swapCounterpart(
  meter: MeterFacts,
  others: readonly SiblingMeter[],
  on: CalendarDate,
): SiblingMeter | null {
  if (!WATER.has(meter.resource)) return null;
  const day = formatDate(on);
  const water = others.filter(
    (o) =>
      o.meter.serial !== meter.serial &&
      o.meter.accountNumber === meter.accountNumber &&
      WATER.has(o.meter.resource) &&
      inService(o.meter, day),
  );
  if (water.length !== 1 || water[0].meter.resource === meter.resource) return null;
  return water[0];
}

/**
 * Whether `input`'s values read naturally on `counterpart` (domain.md, "Swapped cold and hot
 * water"): the meter is usable on that date, the zones and digits fit its register, the reading is
 * not older than its last accepted one, every zone is at least that reading's value (no rollover),
 * and the consumption per day is not a spike by the plausibility rules of its own resource and
 * history. Without a last accepted reading or initial values there is nothing to compare with, and
 * the values do not fit.
 */
export function fitsCounterpart(
  input: ReadingInput,
  counterpart: SiblingMeter,
  on: CalendarDate,
  billingPeriod: string,
  ceilings: DailyCeilings,
): boolean {
  const { meter, state } = counterpart;
  const last = state.last;
  if (last === null || input.readAt < last.readAt) return false;
  const standing = verificationStatus(
    { dueOn: dueOnAt(meter, on), decommissionedOn: meter.decommissionedOn },
    on,
  );
  if (standing === 'expired' || standing === 'decommissioned') return false;
  const values = zonesMatch(input.values, meter.zones) ? readZoneValues(input.values, meter) : null;
  if (values === null) return false;
  let total = 0n;
  for (const [zone, value] of Object.entries(values) as [Zone, bigint][]) {
    const before = last.values[zone];
    if (before === undefined || value < before) return false;
    total += value - before;
  }
  const days = (input.readAt.getTime() - last.readAt.getTime()) / DAY_MS;
  const earlier = state.history.filter((p) => p.period < billingPeriod);
  return !isConsumptionSpike(total, days, ceilings[meter.resource], averageUse(earlier));
}

/**
 * Whether a water value that is too low or too high for `meter` reads naturally on the account's
 * other water meter (domain.md, "Swapped cold and hot water").
 */
export function looksSwapped(
  input: ReadingInput,
  meter: MeterFacts,
  otherMeters: readonly SiblingMeter[],
  on: CalendarDate,
  billingPeriod: string,
  ceilings: DailyCeilings,
): boolean {
  const counterpart = swapCounterpart(meter, otherMeters, on);
  return counterpart !== null && fitsCounterpart(input, counterpart, on, billingPeriod, ceilings);
}

/**
 * The reasons with the value code a swap explains replaced by SUSPECTED_SWAP (contract section 3),
 * in its place; other codes (LOW_CONFIDENCE) stay.
 */
export function swapReasons(reasons: readonly ReasonCode[]): ReasonCode[] {
  return reasons.map((code) => (SWAP_EXPLAINS.includes(code) ? 'SUSPECTED_SWAP' : code));
}
