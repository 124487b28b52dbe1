import type { Resource } from '@gw/contracts';
import { unitsOf } from './decimal';
import { DAY_MS } from './moscow-time';

/** Daily ceilings per meter (all zones together), in the resource's unit (m³, kWh, Gcal). */
export type DailyCeilings = Record<Resource, number>;

export const DEFAULT_DAILY_CEILINGS: DailyCeilings = {
  cold_water: 3,
  hot_water: 2,
  gas: 15,
  electricity: 100,
  heat: 3,
};

/** A meter's accepted consumption in one billing period: the basis of its own average. */
export interface PeriodUsage {
  period: string;
  consumptionUnits: bigint;
  days: number;
}

/**
 * A meter's average use, kept as the exact fraction it is (units over whole milliseconds), so the
 * 10x rule meets no rounding: 0.07 m³ in 6 days is no binary fraction.
 */
export interface AverageUse {
  units: bigint;
  ms: bigint;
}

/** Whole milliseconds of a span given in days (days are stored as milliseconds / DAY_MS). */
const spanMs = (days: number) => BigInt(Math.round(days * DAY_MS));

/** Average use over the last three periods; null when history is too short or all zero. */
export function averageUse(history: PeriodUsage[]): AverageUse | null {
  const recent = [...history].sort((a, b) => b.period.localeCompare(a.period)).slice(0, 3);
  if (recent.length < 2) return null;
  const ms = spanMs(recent.reduce((sum, p) => sum + p.days, 0));
  const units = recent.reduce((sum, p) => sum + p.consumptionUnits, 0n);
  if (ms <= 0n || units <= 0n) return null;
  return { units, ms };
}

export const SPIKE_AVERAGE_FACTOR = 10;

/**
 * Consumption per day above the resource's ceiling, or above ten times the meter's own average.
 * Per day counts at least one day, so two readings taken the same day are not a spike. Both are
 * compared exactly, over the whole milliseconds between the readings: exactly the ceiling or
 * exactly ten times the average per day is not above it, however the time divides into days.
 */
export function isConsumptionSpike(
  consumptionUnits: bigint,
  days: number,
  ceilingPerDay: number,
  average: AverageUse | null,
): boolean {
  const elapsedMs = spanMs(Math.max(1, days));
  if (consumptionUnits * BigInt(DAY_MS) > unitsOf(ceilingPerDay) * elapsedMs) return true;
  return (
    average !== null &&
    consumptionUnits * average.ms > BigInt(SPIKE_AVERAGE_FACTOR) * average.units * elapsedMs
  );
}
