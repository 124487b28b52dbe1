import type { Period } from './moscow-time';

/** `YYYY-MM` with a month from 01 to 12 and a year from 2000 to 2099 (contract section 2's bounds). */
export const PERIOD_FORMAT = /^20\d{2}-(0[1-9]|1[0-2])$/;

/** An inclusive range of billing periods; a null end is open. */
export interface PeriodRange {
  from: Period | null;
  to: Period | null;
}

/** A billing period as written on the wire. */
export function isPeriod(value: unknown): value is Period {
  return typeof value === 'string' && PERIOD_FORMAT.test(value);
}

/** False only when both ends are given and `from` is after `to`; `YYYY-MM` sorts as text. */
export function isOrderedRange({ from, to }: PeriodRange): boolean {
  return from === null || to === null || from <= to;
}
