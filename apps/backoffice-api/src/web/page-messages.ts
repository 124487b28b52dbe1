import { daysInMonth } from '@gw/contracts';
import {
  type CalendarDate,
  dayRange,
  formatDate,
  formatPeriod,
  isPeriod,
  MAX_RANGE_DAYS,
} from '@gw/domain';
import { ERROR_TEXTS, REASON_NAMES, reasonText } from './ru-texts';
import { QueryFields } from './query-fields';
import { type FieldErrors, readDays } from './web-forms';

type Query = Record<string, unknown>;

const NOTICES: Record<string, (n: string) => string> = {
  approved: () => 'Показание принято, исход отправлен.',
  rejected: () => 'Показание отклонено, исход отправлен.',
  swapped: (n) => `Принято с заменой ХВС/ГВС показаний: ${n}, исходы отправлены.`,
  claimed: () => 'Запись взята в работу.',
  released: () => 'Запись возвращена в очередь.',
  verified: () => 'Поверка записана.',
  revalidated: (n) => `Перепроверено показаний: ${n}.`,
  'arshin-recorded': (n) =>
    `Из ФГИС «Аршин» записана новая поверка; перепроверено показаний: ${n}.`,
  'arshin-nothing': () => 'Во ФГИС «Аршин» нет новых записей о поверке этого прибора.',
  'arshin-failed': () =>
    'ФГИС «Аршин» сейчас не ответил, нашёл приборы разных типов с этим номером или прислал записи, которые нельзя сохранить; попробуйте позже или укажите номер типа в реестре.',
};

/** What a redirect after an action reports (`?done=…`); only known notices are shown. */
export function noticeOf(query: Query): string | null {
  const done =
    typeof query.done === 'string' && Object.hasOwn(NOTICES, query.done)
      ? NOTICES[query.done]
      : undefined;
  const n = typeof query.n === 'string' && /^\d{1,6}$/.test(query.n) ? query.n : '0';
  return done ? done(n) : null;
}

/** Why an action was refused (`?error=CODE&reasons=…`), in Russian; unknown codes show nothing. */
export function errorOf(query: Query): string | null {
  const code = query.error;
  const text =
    typeof code === 'string' && Object.hasOwn(ERROR_TEXTS, code)
      ? ERROR_TEXTS[code as keyof typeof ERROR_TEXTS]
      : undefined;
  if (!text) return null;
  const reasons = (typeof query.reasons === 'string' ? query.reasons.split(',') : []).filter(
    (code) => Object.hasOwn(REASON_NAMES, code),
  );
  return reasons.length > 0 ? `${text}: ${reasons.map(reasonText).join(', ')}.` : text;
}

/**
 * The dashboard's month (`YYYY-MM`, default the current one): its days up to today, and
 * neighbours; null when a month is given that is none (or outside the years 2000 to 2099).
 */
export function monthRange(
  month: unknown,
  today: CalendarDate,
): { month: string; from: string; to: string; previous: string; next: string } | null {
  if (month !== undefined && !isPeriod(month)) return null;
  const [year, m] = month === undefined ? [today.year, today.month] : month.split('-').map(Number);
  const current = year === today.year && m === today.month;
  const last = current ? today.day : daysInMonth(year, m);
  const shift = (by: number) => {
    const index = year * 12 + (m - 1) + by;
    return formatPeriod(Math.floor(index / 12), (index % 12) + 1);
  };
  return {
    month: formatPeriod(year, m),
    from: formatDate({ year, month: m, day: 1 }),
    to: formatDate({ year, month: m, day: last }),
    previous: shift(-1),
    next: shift(1),
  };
}

/** What the statistics cover: a calendar month (with its neighbours), or any range of days. */
export type StatsPeriod =
  | ({ kind: 'month' } & NonNullable<ReturnType<typeof monthRange>>)
  | { kind: 'range'; from: string; to: string };

/**
 * The statistics' period from the query: `from` and/or `to` (Moscow days, inclusive; a missing end
 * as the API takes it) or else `month`. Dates the operator got wrong come back per field; `given`
 * is the days as typed, for the form; null for a month that is none.
 */
export function statsPeriod(
  query: Query,
  today: CalendarDate,
):
  | ({ given: { from: string; to: string } } & (
      { ok: true; period: StatsPeriod } | { ok: false; errors: FieldErrors }
    ))
  | null {
  const fields = new QueryFields(query);
  const given = readDays(fields);
  if (!fields.ok) return { given, ok: false, errors: fields.errors };
  if (given.from === '' && given.to === '') {
    const month = monthRange(query.month, today);
    return month && { given, ok: true, period: { kind: 'month', ...month } };
  }
  const range = dayRange(given.from || undefined, given.to || undefined, today);
  if (!range.ok)
    return {
      given,
      ok: false,
      errors: { to: `Период не длиннее ${MAX_RANGE_DAYS} дней и не раньше своего начала.` },
    };
  return { given, ok: true, period: { kind: 'range', ...range.range } };
}
