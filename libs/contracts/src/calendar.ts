const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The years a date sent to the gateway may name (contract section 2). Anything outside is a typing
 * or clock error, and PostgreSQL or the `YYYY-MM` billing period could not hold every such year
 * (year 0, 9999 moved past 10000 by its offset), so it is refused where it arrives.
 */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2099;

/** The largest UTC offset a timestamp may carry, in minutes: ±14:00, as in real time zones. */
export const MAX_OFFSET_MINUTES = 14 * 60;

/** Days in a month (1 to 12) of the proleptic Gregorian calendar, by arithmetic alone: it runs for every timestamp checked. */
export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS[month - 1];
}

/** A real calendar day within FIRST_YEAR..LAST_YEAR. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return (
    year >= FIRST_YEAR &&
    year <= LAST_YEAR &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}
