import type { Resource } from '@gw/contracts';
import { unitsOf } from './decimal';

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

/** Average daily use over the last three periods; null when history is too short or all zero. */
export function averageDailyUnits(history: PeriodUsage[]): number | null {
  const recent = [...history].sort((a, b) => b.period.localeCompare(a.period)).slice(0, 3);
  if (recent.length < 2) return null;
  const days = recent.reduce((sum, p) => sum + p.days, 0);
  const units = recent.reduce((sum, p) => sum + Number(p.consumptionUnits), 0);
  if (days <= 0 || units <= 0) return null;
  return units / days;
}

export const SPIKE_AVERAGE_FACTOR = 10;

const DAY_MS = 86_400_000;

/**
 * Consumption per day above the resource's ceiling, or above ten times the meter's own average.
 * Per day counts at least one day, so two readings taken the same day are not a spike. The
 * ceiling is compared exactly, over the whole milliseconds between the readings: exactly the
 * ceiling per day is not above it, however the time divides into days.
 */
export function isConsumptionSpike(
  consumptionUnits: bigint,
  days: number,
  ceilingPerDay: number,
  averagePerDayUnits: number | null,
): boolean {
  const elapsedMs = BigInt(Math.max(DAY_MS, Math.round(days * DAY_MS)));
  if (consumptionUnits * BigInt(DAY_MS) > unitsOf(ceilingPerDay) * elapsedMs) return true;
  const perDay = Number(consumptionUnits) / Math.max(1, days);
  return averagePerDayUnits !== null && perDay > SPIKE_AVERAGE_FACTOR * averagePerDayUnits;
}
