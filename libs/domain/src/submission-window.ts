import { daysInMonth, type Resource } from '@gw/contracts';
import { type CalendarDate, formatPeriod, type Period } from './moscow-time';

/** Days of a month (inclusive) during which readings are taken for that month's bill. */
export interface SubmissionWindow {
  openDay: number;
  closeDay: number;
}

/**
 * The window is policy: a default per resource and overrides per month (for example December,
 * when bills go out before the New Year). An override keyed `*` applies to every resource.
 */
export interface WindowPolicy {
  defaults: Record<Resource, SubmissionWindow>;
  overrides: Record<Period, Partial<Record<Resource | '*', SubmissionWindow>>>;
}

export const DEFAULT_WINDOW_POLICY: WindowPolicy = {
  defaults: {
    cold_water: { openDay: 15, closeDay: 25 },
    hot_water: { openDay: 15, closeDay: 25 },
    heat: { openDay: 15, closeDay: 25 },
    gas: { openDay: 15, closeDay: 25 },
    electricity: { openDay: 15, closeDay: 26 },
  },
  overrides: {},
};

/** The window of one month, with days clamped to the month's length. */
export function windowOf(
  policy: WindowPolicy,
  resource: Resource,
  year: number,
  month: number,
): SubmissionWindow {
  const override = policy.overrides[formatPeriod(year, month)];
  const window = override?.[resource] ?? override?.['*'] ?? policy.defaults[resource];
  const last = daysInMonth(year, month);
  return { openDay: Math.min(window.openDay, last), closeDay: Math.min(window.closeDay, last) };
}

export interface PeriodDecision {
  billingPeriod: Period;
  insideWindow: boolean;
}

/**
 * The billing period of a reading is the month whose window closes first on or after the
 * reading's Moscow date; a reading outside that month's window still counts, flagged.
 */
export function billingPeriodOf(
  policy: WindowPolicy,
  resource: Resource,
  date: CalendarDate,
): PeriodDecision {
  let { year, month } = date;
  let window = windowOf(policy, resource, year, month);
  if (date.day > window.closeDay) {
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
    window = windowOf(policy, resource, year, month);
  }
  const sameMonth = year === date.year && month === date.month;
  const insideWindow = sameMonth && date.day >= window.openDay && date.day <= window.closeDay;
  return { billingPeriod: formatPeriod(year, month), insideWindow };
}
