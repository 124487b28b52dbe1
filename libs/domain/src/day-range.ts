import {
  type CalendarDate,
  daysBetween,
  formatDate,
  type IsoDate,
  isValidDate,
} from './moscow-time';

/** An inclusive range of Moscow calendar days. */
export interface DayRange {
  from: IsoDate;
  to: IsoDate;
}

/** Statistics cover at most a year per request. */
export const MAX_RANGE_DAYS = 366;

/**
 * The range a statistics request asks for: the given ends, or the current Moscow month up to today
 * for a missing end. Returns a message naming the problem when the range is unusable.
 */
export function dayRange(
  from: string | undefined,
  to: string | undefined,
  today: CalendarDate,
): { ok: true; range: DayRange } | { ok: false; error: string } {
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value !== undefined && !isValidDate(value))
      return { ok: false, error: `${name} must be a date YYYY-MM-DD` };
  }
  const range = {
    from: from ?? formatDate({ ...today, day: 1 }),
    to: to ?? formatDate(today),
  };
  const days = daysBetween(range.from, range.to) + 1;
  if (days < 1) return { ok: false, error: 'from must not be after to' };
  if (days > MAX_RANGE_DAYS)
    return { ok: false, error: `the range must not exceed ${MAX_RANGE_DAYS} days` };
  return { ok: true, range };
}
