import { daysInMonth, isCalendarDate } from '@gw/contracts';

/** The business runs on Moscow time: UTC+3 all year, no daylight saving since 2014. */
export const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;
/** A billing period, `YYYY-MM`. */
export type Period = string;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatDate({ year, month, day }: CalendarDate): IsoDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function parseDate(date: IsoDate): CalendarDate {
  const [year, month, day] = date.split('-').map(Number);
  return { year, month, day };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` naming a real day of the years the gateway accepts (contract section 2). */
export function isValidDate(text: string): boolean {
  const parts = ISO_DATE.exec(text);
  return parts !== null && isCalendarDate(Number(parts[1]), Number(parts[2]), Number(parts[3]));
}

/** The Moscow calendar date of an instant. */
export function moscowDate(instant: Date): CalendarDate {
  const shifted = new Date(instant.getTime() + MOSCOW_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

/** The instant a Moscow calendar day starts. */
export function moscowMidnight(date: IsoDate): Date {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day) - MOSCOW_OFFSET_MS);
}

/** Adds calendar months, clamping the day to the target month's length (31 Mar + 1 month = 30 Apr). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** The same Moscow wall-clock time `months` calendar months away. */
export function addMonthsToInstant(instant: Date, months: number): Date {
  const date = addMonths(moscowDate(instant), months);
  const msIntoDay = (instant.getTime() + MOSCOW_OFFSET_MS) % DAY_MS;
  return new Date(moscowMidnight(formatDate(date)).getTime() + msIntoDay);
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((moscowMidnight(to).getTime() - moscowMidnight(from).getTime()) / DAY_MS);
}

export function formatPeriod(year: number, month: number): Period {
  return `${pad(year, 4)}-${pad(month)}`;
}

/** An instant as RFC 3339 in Moscow time with milliseconds: `2026-11-20T10:15:02.311+03:00`. */
export function toMoscowIso(instant: Date): string {
  const shifted = new Date(instant.getTime() + MOSCOW_OFFSET_MS);
  return `${shifted.toISOString().slice(0, 23)}+03:00`;
}
