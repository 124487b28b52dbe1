import type { Resource } from '@gw/contracts';
import { moscowDate } from './moscow-time';
import {
  billingPeriodOf,
  DEFAULT_WINDOW_POLICY,
  type SubmissionWindow,
  windowOf,
  type WindowPolicy,
} from './submission-window';

function windowPolicy(overrides: Partial<WindowPolicy> = {}): WindowPolicy {
  return { ...DEFAULT_WINDOW_POLICY, ...overrides };
}

/** December 2026 moved earlier for every resource, as the settlement centre does before New Year. */
const DECEMBER_EARLY = windowPolicy({
  overrides: { '2026-12': { '*': { openDay: 1, closeDay: 12 } } },
});

const readOn = (instant: string) => moscowDate(new Date(instant));

describe('DEFAULT_WINDOW_POLICY', () => {
  it.each<[Resource, SubmissionWindow]>([
    ['cold_water', { openDay: 15, closeDay: 25 }],
    ['hot_water', { openDay: 15, closeDay: 25 }],
    ['heat', { openDay: 15, closeDay: 25 }],
    ['gas', { openDay: 15, closeDay: 25 }],
    ['electricity', { openDay: 15, closeDay: 26 }],
  ])('%s: domain.md default %p', (resource, window) => {
    expect(DEFAULT_WINDOW_POLICY.defaults[resource]).toEqual(window);
  });

  it('has no month overrides', () => {
    expect(DEFAULT_WINDOW_POLICY.overrides).toEqual({});
  });
});

describe('billingPeriodOf with the default policy', () => {
  it.each<[string, Resource, string, boolean]>([
    // domain.md examples
    ['2026-11-20T10:00:00+03:00', 'cold_water', '2026-11', true],
    ['2026-11-26T10:00:00+03:00', 'cold_water', '2026-12', false],
    ['2026-12-03T10:00:00+03:00', 'cold_water', '2026-12', false],
    // window edges are inclusive
    ['2026-11-15T00:00:00+03:00', 'cold_water', '2026-11', true],
    ['2026-11-14T23:59:59+03:00', 'cold_water', '2026-11', false],
    ['2026-11-25T23:59:59+03:00', 'cold_water', '2026-11', true],
    ['2026-11-01T00:00:00+03:00', 'hot_water', '2026-11', false],
    // Moscow, not UTC, decides the day
    ['2026-11-25T20:59:59Z', 'cold_water', '2026-11', true],
    ['2026-11-25T21:00:00Z', 'cold_water', '2026-12', false],
    ['2026-11-14T21:30:00Z', 'gas', '2026-11', true],
    ['2026-11-14T20:30:00Z', 'gas', '2026-11', false],
    // electricity is taken until the 26th
    ['2026-11-26T10:00:00+03:00', 'electricity', '2026-11', true],
    ['2026-11-26T20:59:59Z', 'electricity', '2026-11', true],
    ['2026-11-26T21:00:00Z', 'electricity', '2026-12', false],
    ['2026-11-27T10:00:00+03:00', 'electricity', '2026-12', false],
    ['2026-11-26T10:00:00+03:00', 'heat', '2026-12', false],
    // across the year boundary
    ['2026-12-26T10:00:00+03:00', 'cold_water', '2027-01', false],
    ['2026-12-31T21:30:00Z', 'cold_water', '2027-01', false],
    ['2026-12-31T20:30:00Z', 'electricity', '2027-01', false],
    ['2027-01-20T10:00:00+03:00', 'electricity', '2027-01', true],
    // end of month
    ['2026-11-30T22:30:00Z', 'cold_water', '2026-12', false],
    ['2026-02-28T12:00:00+03:00', 'cold_water', '2026-03', false],
  ])('%s, %s -> %s (inside window: %p)', (instant, resource, billingPeriod, insideWindow) => {
    expect(billingPeriodOf(DEFAULT_WINDOW_POLICY, resource, readOn(instant))).toEqual({
      billingPeriod,
      insideWindow,
    });
  });
});

describe('billingPeriodOf with a December override (* 1..12 in 2026-12)', () => {
  it.each<[string, Resource, string, boolean]>([
    ['2026-12-20T10:00:00+03:00', 'cold_water', '2027-01', false],
    ['2026-12-20T10:00:00+03:00', 'electricity', '2027-01', false],
    ['2026-12-13T00:00:00+03:00', 'cold_water', '2027-01', false],
    ['2026-12-12T23:59:59+03:00', 'cold_water', '2026-12', true],
    ['2026-12-12T21:00:00Z', 'cold_water', '2027-01', false],
    ['2026-12-01T00:00:00+03:00', 'hot_water', '2026-12', true],
    ['2026-11-30T21:00:00Z', 'hot_water', '2026-12', true],
    ['2026-12-03T10:00:00+03:00', 'cold_water', '2026-12', true],
    ['2026-11-25T10:00:00+03:00', 'cold_water', '2026-11', true],
    ['2026-11-26T10:00:00+03:00', 'cold_water', '2026-12', false],
    ['2026-11-27T10:00:00+03:00', 'electricity', '2026-12', false],
    // only the named month moves
    ['2027-12-20T10:00:00+03:00', 'cold_water', '2027-12', true],
    ['2027-01-20T10:00:00+03:00', 'cold_water', '2027-01', true],
  ])('%s, %s -> %s (inside window: %p)', (instant, resource, billingPeriod, insideWindow) => {
    expect(billingPeriodOf(DECEMBER_EARLY, resource, readOn(instant))).toEqual({
      billingPeriod,
      insideWindow,
    });
  });

  it('a resource-specific override wins over "*"', () => {
    const policy = windowPolicy({
      overrides: {
        '2026-12': {
          '*': { openDay: 1, closeDay: 12 },
          electricity: { openDay: 1, closeDay: 15 },
        },
      },
    });
    const on14Dec = readOn('2026-12-14T10:00:00+03:00');
    expect(billingPeriodOf(policy, 'electricity', on14Dec)).toEqual({
      billingPeriod: '2026-12',
      insideWindow: true,
    });
    expect(billingPeriodOf(policy, 'cold_water', on14Dec)).toEqual({
      billingPeriod: '2027-01',
      insideWindow: false,
    });
  });

  it('an override for one resource leaves the others on their defaults', () => {
    const policy = windowPolicy({
      overrides: { '2026-11': { gas: { openDay: 10, closeDay: 20 } } },
    });
    const on22Nov = readOn('2026-11-22T10:00:00+03:00');
    // Past November's gas window: counts for December, outside December's window (15 to 25 Dec).
    expect(billingPeriodOf(policy, 'gas', on22Nov)).toEqual({
      billingPeriod: '2026-12',
      insideWindow: false,
    });
    expect(billingPeriodOf(policy, 'cold_water', on22Nov)).toEqual({
      billingPeriod: '2026-11',
      insideWindow: true,
    });
  });
});

describe('close days beyond the month length are clamped', () => {
  const WHOLE_MONTH = windowPolicy({
    defaults: { ...DEFAULT_WINDOW_POLICY.defaults, cold_water: { openDay: 1, closeDay: 31 } },
  });
  const LATE = windowPolicy({
    defaults: { ...DEFAULT_WINDOW_POLICY.defaults, cold_water: { openDay: 30, closeDay: 31 } },
  });

  it.each([
    [2026, 2, { openDay: 1, closeDay: 28 }],
    [2028, 2, { openDay: 1, closeDay: 29 }],
    [2026, 4, { openDay: 1, closeDay: 30 }],
    [2026, 12, { openDay: 1, closeDay: 31 }],
  ])('windowOf %p-%p = %p', (year, month, window) => {
    expect(windowOf(WHOLE_MONTH, 'cold_water', year, month)).toEqual(window);
  });

  it('clamps the open day too', () => {
    expect(windowOf(LATE, 'cold_water', 2026, 2)).toEqual({ openDay: 28, closeDay: 28 });
  });

  it.each([
    ['2026-02-28T12:00:00+03:00', '2026-02', true],
    ['2026-02-28T21:00:00Z', '2026-03', true],
    ['2028-02-29T12:00:00+03:00', '2028-02', true],
    ['2026-04-30T12:00:00+03:00', '2026-04', true],
    ['2026-12-31T12:00:00+03:00', '2026-12', true],
  ])('%s -> %s (inside window: %p)', (instant, billingPeriod, insideWindow) => {
    expect(billingPeriodOf(WHOLE_MONTH, 'cold_water', readOn(instant))).toEqual({
      billingPeriod,
      insideWindow,
    });
  });

  it('a February window that opens on the 30th opens on the last day', () => {
    expect(billingPeriodOf(LATE, 'cold_water', readOn('2026-02-28T12:00:00+03:00'))).toEqual({
      billingPeriod: '2026-02',
      insideWindow: true,
    });
    expect(billingPeriodOf(LATE, 'cold_water', readOn('2026-02-27T12:00:00+03:00'))).toEqual({
      billingPeriod: '2026-02',
      insideWindow: false,
    });
  });
});
