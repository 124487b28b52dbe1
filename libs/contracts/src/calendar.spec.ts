import { daysInMonth, isCalendarDate } from './calendar';

describe('daysInMonth', () => {
  it.each([
    [2026, 1, 31],
    [2026, 2, 28],
    [2028, 2, 29],
    [2100, 2, 28],
    [2000, 2, 29],
    [2026, 4, 30],
    [2026, 6, 30],
    [2026, 9, 30],
    [2026, 11, 30],
    [2026, 12, 31],
  ])('daysInMonth(%p, %p) = %p', (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });

  it('agrees with the Date calendar for every month of four centuries', () => {
    for (let year = 1900; year < 2300; year += 1)
      for (let month = 1; month <= 12; month += 1)
        expect(daysInMonth(year, month)).toBe(new Date(Date.UTC(year, month, 0)).getUTCDate());
  });
});

describe('isCalendarDate', () => {
  it.each([
    [0, 12, 5, false],
    [1, 1, 1, false],
    [1999, 12, 31, false],
    [2000, 1, 1, true],
    [2000, 2, 29, true],
    [2024, 2, 29, true],
    [2026, 2, 29, false],
    [2099, 12, 31, true],
    [2100, 1, 1, false],
    [9999, 12, 31, false],
    [2026, 0, 1, false],
    [2026, 13, 1, false],
    [2026, 4, 31, false],
    [2026, 4, 0, false],
  ])('isCalendarDate(%p, %p, %p) = %p', (year, month, day, valid) => {
    expect(isCalendarDate(year, month, day)).toBe(valid);
  });
});
