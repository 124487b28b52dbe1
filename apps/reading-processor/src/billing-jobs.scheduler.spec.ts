import { DEFAULT_WINDOW_POLICY } from '@gw/domain';
import { lastClosedPeriod } from './billing-jobs.scheduler';

describe('lastClosedPeriod', () => {
  const december = {
    ...DEFAULT_WINDOW_POLICY,
    overrides: { '2026-12': { '*': { openDay: 1, closeDay: 12 } } },
  };

  it.each([
    ['the day the last window (electricity, the 26th) closes', '2026-11-26', '2026-10'],
    ['the day after it', '2026-11-27', '2026-11'],
    ['early in a month', '2026-12-05', '2026-11'],
    ['across the year end', '2027-01-10', '2026-12'],
  ])('%s: %s -> %s', (_case, today, period) => {
    expect(lastClosedPeriod(DEFAULT_WINDOW_POLICY, today)).toBe(period);
  });

  it('follows a month override: December closes on the 12th', () => {
    expect(lastClosedPeriod(december, '2026-12-12')).toBe('2026-11');
    expect(lastClosedPeriod(december, '2026-12-13')).toBe('2026-12');
  });
});
