import { type CalendarDate, formatPeriod, type Period } from './moscow-time';

/** How many of a resident's latest single payment documents (ЕПД) prove that an account is theirs. */
export const REGISTRATION_DOCUMENTS = 3;

/**
 * The periods of the latest issued payment documents, newest first. The ЕПД for a month is issued
 * at the start of the next month, so on any day of November the latest one is October's: on
 * 2026-11-25 the last three are 2026-10, 2026-09 and 2026-08.
 */
export function issuedDocumentPeriods(
  today: CalendarDate,
  count = REGISTRATION_DOCUMENTS,
): Period[] {
  const current = today.year * 12 + (today.month - 1);
  return Array.from({ length: count }, (_, i) => {
    const index = current - 1 - i;
    return formatPeriod(Math.floor(index / 12), (index % 12) + 1);
  });
}

const AMOUNT = /^(-?)(\d{1,12})(?:[.,](\d{1,2}))?$/;

/**
 * An amount in rubles as the billing system and the resident write it ("4321.5", "4321,50",
 * "0004321.50"), in one canonical form with two kopeck digits ("4321.50"); null when it is not
 * one. A minus is allowed: a recalculation can make a month's charge negative.
 */
export function canonicalAmount(text: string): string | null {
  const m = AMOUNT.exec(text.trim());
  if (!m) return null;
  const rubles = m[2].replace(/^0+(?=\d)/, '');
  const kopecks = (m[3] ?? '').padEnd(2, '0');
  const zero = /^0+$/.test(rubles) && kopecks === '00';
  return `${m[1] === '-' && !zero ? '-' : ''}${rubles}.${kopecks}`;
}
