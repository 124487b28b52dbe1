import {
  addMonths,
  addMonthsToInstant,
  type CalendarDate,
  daysBetween,
  formatDate,
  formatPeriod,
  isValidDate,
  moscowDate,
  moscowMidnight,
  parseDate,
  toMoscowIso,
} from './moscow-time';

const date = (iso: string): CalendarDate => parseDate(iso);

describe('moscowDate', () => {
  it.each([
    ['2026-11-30T22:30:00Z', '2026-12-01'],
    ['2026-11-30T20:59:59.999Z', '2026-11-30'],
    ['2026-11-30T21:00:00Z', '2026-12-01'],
    ['2026-11-30T23:59:00+03:00', '2026-11-30'],
    ['2026-12-01T00:00:00+03:00', '2026-12-01'],
    ['2026-12-31T21:00:00Z', '2027-01-01'],
    ['2026-12-31T20:59:59Z', '2026-12-31'],
    ['2026-02-28T21:00:00Z', '2026-03-01'],
    ['2028-02-28T21:00:00Z', '2028-02-29'],
    ['2026-11-20T10:15:00+03:00', '2026-11-20'],
    ['2026-11-20T00:15:00+05:00', '2026-11-19'],
    ['2026-11-19T23:30:00-02:00', '2026-11-20'],
  ])('%s is %s in Moscow', (instant, expected) => {
    expect(formatDate(moscowDate(new Date(instant)))).toBe(expected);
  });
});

describe('moscowMidnight', () => {
  it.each([
    ['2026-12-01', '2026-11-30T21:00:00.000Z'],
    ['2027-01-01', '2026-12-31T21:00:00.000Z'],
    ['2028-02-29', '2028-02-28T21:00:00.000Z'],
  ])('%s starts at %s', (day, instant) => {
    expect(moscowMidnight(day).toISOString()).toBe(instant);
  });

  it('is the first instant of the same Moscow date', () => {
    const start = moscowMidnight('2026-11-20');
    expect(formatDate(moscowDate(start))).toBe('2026-11-20');
    expect(formatDate(moscowDate(new Date(start.getTime() - 1)))).toBe('2026-11-19');
  });
});

describe('calendar helpers', () => {
  it.each([
    ['2026-04-30', true],
    ['2026-04-31', false],
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2028-02-29', true],
    ['2100-02-29', false],
    ['2000-02-29', true],
    ['0000-12-05', false],
    ['0001-01-01', false],
    ['1999-12-31', false],
    ['2000-01-01', true],
    ['2099-12-31', true],
    ['2100-01-01', false],
    ['9999-12-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-4-01', false],
    ['26-04-01', false],
    ['2026/04/01', false],
    ['', false],
  ])('isValidDate(%p) = %p', (text, valid) => {
    expect(isValidDate(text)).toBe(valid);
  });

  it('formats and parses dates with zero padding', () => {
    expect(formatDate({ year: 2026, month: 3, day: 1 })).toBe('2026-03-01');
    expect(parseDate('2026-03-01')).toEqual({ year: 2026, month: 3, day: 1 });
  });

  it.each([
    [2026, 11, '2026-11'],
    [2027, 1, '2027-01'],
  ])('formatPeriod(%p, %p) = %p', (year, month, period) => {
    expect(formatPeriod(year, month)).toBe(period);
  });
});

describe('addMonths', () => {
  it.each([
    ['2026-11-15', 2, '2027-01-15'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-12-31', 2, '2027-02-28'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2028-02-29', 48, '2032-02-29'],
    ['2019-03-01', 72, '2025-03-01'],
    ['2026-05-20', 0, '2026-05-20'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-05-31', -3, '2026-02-28'],
    ['2028-05-31', -3, '2028-02-29'],
    ['2027-01-15', -1, '2026-12-15'],
    ['2026-11-20', -3, '2026-08-20'],
  ])('%s plus %p months = %s', (from, months, expected) => {
    expect(formatDate(addMonths(date(from), months))).toBe(expected);
  });
});

describe('addMonthsToInstant', () => {
  it.each([
    ['2026-11-20T10:15:00+03:00', -3, '2026-08-20T10:15:00+03:00'],
    ['2026-11-20T10:15:02.311+03:00', 1, '2026-12-20T10:15:02.311+03:00'],
    ['2026-12-15T23:59:59+03:00', 1, '2027-01-15T23:59:59+03:00'],
    // 31 Mar 01:00 in Moscow is still 30 Mar in UTC: the clamp must use the Moscow date.
    ['2026-03-30T22:00:00Z', -1, '2026-02-28T01:00:00+03:00'],
    ['2026-05-31T00:30:00+03:00', -3, '2026-02-28T00:30:00+03:00'],
    ['2028-05-31T12:00:00+03:00', -3, '2028-02-29T12:00:00+03:00'],
    ['2026-02-28T21:30:00Z', 0, '2026-03-01T00:30:00+03:00'],
  ])('%s plus %p months = %s', (from, months, expected) => {
    expect(addMonthsToInstant(new Date(from), months).getTime()).toBe(new Date(expected).getTime());
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-11-20', '2026-12-20', 30],
    ['2026-12-20', '2026-11-20', -30],
    ['2026-11-20', '2026-11-20', 0],
    ['2026-02-28', '2026-03-01', 1],
    ['2028-02-28', '2028-03-01', 2],
    ['2026-12-31', '2027-01-01', 1],
    ['2026-01-01', '2027-01-01', 365],
    ['2028-01-01', '2029-01-01', 366],
  ])('%s -> %s = %p', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });
});

describe('toMoscowIso', () => {
  it.each([
    ['2026-11-20T07:15:02.311Z', '2026-11-20T10:15:02.311+03:00'],
    ['2026-12-31T21:00:00Z', '2027-01-01T00:00:00.000+03:00'],
    ['2026-11-30T22:30:00Z', '2026-12-01T01:30:00.000+03:00'],
    ['2026-11-20T10:15:02.311+03:00', '2026-11-20T10:15:02.311+03:00'],
  ])('%s -> %s', (instant, iso) => {
    expect(toMoscowIso(new Date(instant))).toBe(iso);
  });

  it('denotes the same instant', () => {
    const instant = new Date('2026-06-01T23:59:59.999Z');
    expect(new Date(toMoscowIso(instant)).getTime()).toBe(instant.getTime());
  });
});
