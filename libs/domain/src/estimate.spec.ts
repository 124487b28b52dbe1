import type { Resource, Zone } from '@gw/contracts';
import {
  type AcceptedPeriod,
  addPeriods,
  decideEstimate,
  DEFAULT_ESTIMATE_POLICY,
  type EstimateDecision,
  type EstimateFacts,
  type EstimatePolicy,
  monthsBetween,
  outOfOrderAt,
  outOfOrderFrom,
  periodWindows,
  windowClosesOn,
} from './estimate';
import { DEFAULT_WINDOW_POLICY } from './submission-window';

/** One accepted period per entry: [period, T1 consumption, T2 consumption?]. */
function history(...entries: [string, string, string?][]): AcceptedPeriod[] {
  return entries.map(([period, t1, t2]) => ({
    period,
    restarted: false,
    consumption: [
      { zone: 'T1' as Zone, value: t1 },
      ...(t2 ? [{ zone: 'T2' as Zone, value: t2 }] : []),
    ],
  }));
}

/** Readings of 2026-01 to 2026-10; 2026-05 to 2026-10 consumed 3 + 3.5 + 2.5 + 4 + 3 + 3.5 = 19.5. */
const TEN_MONTHS = history(
  ['2026-01', '9'],
  ['2026-02', '9'],
  ['2026-03', '9'],
  ['2026-04', '9'],
  ['2026-05', '3'],
  ['2026-06', '3.5'],
  ['2026-07', '2.5'],
  ['2026-08', '4'],
  ['2026-09', '3'],
  ['2026-10', '3.5'],
);

function facts(overrides: Partial<EstimateFacts> = {}): EstimateFacts {
  return {
    period: '2026-11',
    resource: 'cold_water',
    zones: ['T1'],
    baselinePeriod: '2025-12',
    installedPeriod: '2025-12',
    history: TEN_MONTHS,
    outOfOrderFrom: null,
    normative: '6.9',
    sharing: 1,
    ...overrides,
  };
}

const average = (
  consecutive: number,
  t1: string,
  basis: [string, string, number],
  t2?: string,
): EstimateDecision => ({
  ok: true,
  method: 'average',
  consecutive,
  consumption: [{ zone: 'T1', value: t1 }, ...(t2 ? [{ zone: 'T2' as Zone, value: t2 }] : [])],
  basis: { from: basis[0], to: basis[1], periods: basis[2] },
  coefficient: null,
});

const normative = (consecutive: number, t1: string): EstimateDecision => ({
  ok: true,
  method: 'normative',
  consecutive,
  consumption: [{ zone: 'T1', value: t1 }],
  basis: null,
  coefficient: null,
});

const raised = (consecutive: number, t1: string, coefficient: number): EstimateDecision => ({
  ok: true,
  method: 'normative_raised',
  consecutive,
  consumption: [{ zone: 'T1', value: t1 }],
  basis: null,
  coefficient,
});

const upTo = (last: string) => TEN_MONTHS.filter((h) => h.period <= last);

/** Every case of domain.md "Estimates when no valid reading arrives", worked by hand. */
describe('decideEstimate', () => {
  it.each<[string, Partial<EstimateFacts>, EstimateDecision]>([
    [
      'six months of history: their average (19.5 / 6), as in the contract',
      {},
      average(1, '3.250', ['2026-05', '2026-10', 6]),
    ],
    [
      'a gap: the average runs from the last reading at least six months back (14 / 7)',
      { history: history(['2026-03', '5'], ['2026-10', '14']) },
      average(1, '2.000', ['2026-04', '2026-10', 7]),
    ],
    [
      'four months of use since the initial values: the actual period (10 / 4)',
      {
        baselinePeriod: '2026-06',
        history: history(['2026-07', '2'], ['2026-08', '2'], ['2026-09', '3'], ['2026-10', '3']),
      },
      average(1, '2.500', ['2026-07', '2026-10', 4]),
    ],
    [
      'no initial values: the first reading starts the count (6 / 3)',
      {
        period: '2026-10',
        baselinePeriod: null,
        history: history(['2026-06', '100'], ['2026-07', '2'], ['2026-08', '2'], ['2026-09', '2']),
      },
      average(1, '2.000', ['2026-07', '2026-09', 3]),
    ],
    [
      'zones changed in 2026-07 (its reading has no consumption): the count starts there (9 / 3)',
      {
        history: [
          ...history(
            ['2026-03', '100'],
            ['2026-04', '100'],
            ['2026-05', '100'],
            ['2026-06', '100'],
          ),
          { period: '2026-07', consumption: [], restarted: true },
          ...history(['2026-08', '2', '1'], ['2026-09', '2', '1'], ['2026-10', '2', '1']),
        ],
        zones: ['T1', 'T2'],
      },
      {
        ok: true,
        method: 'average',
        consecutive: 1,
        consumption: [
          { zone: 'T1', value: '2.000' },
          { zone: 'T2', value: '1.000' },
        ],
        basis: { from: '2026-08', to: '2026-10', periods: 3 },
        coefficient: null,
      },
    ],
    [
      'zones changed two months ago: under three months of use since, the normative',
      {
        history: [
          ...TEN_MONTHS.slice(0, 8),
          { period: '2026-09', consumption: [], restarted: true },
          ...history(['2026-10', '3']),
        ],
      },
      normative(1, '6.900'),
    ],
    [
      'a restart older than the six months averaged changes nothing (19.5 / 6)',
      {
        history: [{ period: '2026-01', consumption: [], restarted: true }, ...TEN_MONTHS.slice(1)],
      },
      average(1, '3.250', ['2026-05', '2026-10', 6]),
    ],
    [
      'exactly three months of use: still an average, rounded half up (10 / 3)',
      {
        baselinePeriod: '2026-07',
        history: history(['2026-08', '3'], ['2026-09', '3'], ['2026-10', '4']),
      },
      average(1, '3.333', ['2026-08', '2026-10', 3]),
    ],
    [
      'under three months of use: no average, the normative',
      { baselinePeriod: '2026-08', history: history(['2026-09', '2'], ['2026-10', '2']) },
      normative(1, '6.900'),
    ],
    [
      'under three months and no normative imported: nothing to estimate',
      { baselinePeriod: '2026-08', history: history(['2026-09', '2']), normative: null },
      { ok: false, reason: 'NO_NORMATIVE' },
    ],
    [
      'never read, installed this period: the normative, first period',
      { baselinePeriod: '2026-11', history: [] },
      normative(1, '6.900'),
    ],
    [
      'never read since the initial values of 2026-06: the normative, fifth period',
      { baselinePeriod: '2026-06', history: [] },
      normative(5, '6.900'),
    ],
    [
      'never read and no initial values, installed this period: the normative, first period',
      { baselinePeriod: null, installedPeriod: '2026-11', history: [] },
      normative(1, '6.900'),
    ],
    [
      'never read and no initial values, installed in 2026-06: the sixth period without a reading',
      { baselinePeriod: null, installedPeriod: '2026-06', history: [] },
      normative(6, '6.900'),
    ],
    [
      'water, third consecutive period without a reading: still the average (31 / 6)',
      { history: upTo('2026-08') },
      average(3, '5.167', ['2026-03', '2026-08', 6]),
    ],
    [
      'water, fourth consecutive period: the normative',
      { history: upTo('2026-07') },
      normative(4, '6.900'),
    ],
    [
      'heat, fourth consecutive period: the normative',
      { resource: 'heat', history: upTo('2026-07') },
      normative(4, '6.900'),
    ],
    [
      'electricity, sixth consecutive period: still the average over five months of use (39 / 5)',
      { resource: 'electricity', history: upTo('2026-05') },
      average(6, '7.800', ['2026-01', '2026-05', 5]),
    ],
    [
      'electricity, seventh consecutive period: the normative',
      { resource: 'electricity', history: upTo('2026-04') },
      normative(7, '6.900'),
    ],
    [
      'a two-zone meter: the average zone by zone (12 / 6 and 6.6 / 6)',
      {
        resource: 'electricity',
        zones: ['T1', 'T2'],
        history: history(
          ['2026-04', '50', '20'],
          ['2026-05', '2', '1'],
          ['2026-06', '2', '1.1'],
          ['2026-07', '2', '1.1'],
          ['2026-08', '2', '1.1'],
          ['2026-09', '2', '1.2'],
          ['2026-10', '2', '1.1'],
        ),
      },
      average(1, '2.000', ['2026-05', '2026-10', 6], '1.100'),
    ],
    [
      'out of order since 2026-09, third period: the average',
      { outOfOrderFrom: '2026-09', history: upTo('2026-08') },
      average(3, '5.167', ['2026-03', '2026-08', 6]),
    ],
    [
      'out of order since 2026-08, fourth period: cold water normative x 3',
      { outOfOrderFrom: '2026-08', history: upTo('2026-08') },
      raised(3, '20.700', 3),
    ],
    [
      'out of order, hot water: normative x 1.5 (4.1 x 1.5)',
      { resource: 'hot_water', outOfOrderFrom: '2026-06', normative: '4.1' },
      raised(1, '6.150', 1.5),
    ],
    [
      'out of order, gas: the general 1.5 of item 60 (2.333 x 1.5 = 3.4995)',
      { resource: 'gas', outOfOrderFrom: '2026-01', normative: '2.333' },
      raised(1, '3.500', 1.5),
    ],
    [
      'the normative shared by three meters (6.9 / 3)',
      { baselinePeriod: '2026-10', history: [], sharing: 3 },
      normative(1, '2.300'),
    ],
    [
      'a share of the normative rounded half up from its exact value (0.001 / 2 = 0.0005)',
      { baselinePeriod: '2026-10', history: [], normative: '0.001', sharing: 2 },
      normative(1, '0.001'),
    ],
    [
      'a shared normative raised, rounded once from the exact value (10.001 / 3 x 1.5 = 5.0005)',
      { resource: 'hot_water', outOfOrderFrom: '2026-06', normative: '10.001', sharing: 3 },
      raised(1, '5.001', 1.5),
    ],
    [
      'a shared normative raised, just below half (10.000998 / 3 x 1.5 = 5.000499)',
      { resource: 'hot_water', outOfOrderFrom: '2026-06', normative: '10.000998', sharing: 3 },
      raised(1, '5.000', 1.5),
    ],
    [
      'a shared normative raised by 3 (20.0015 / 2 x 3 = 30.00225)',
      { outOfOrderFrom: '2026-01', normative: '20.0015', sharing: 2 },
      raised(1, '30.002', 3),
    ],
    [
      'out of order in its first period with no average: the plain normative',
      { outOfOrderFrom: '2026-11', baselinePeriod: '2026-09', history: history(['2026-10', '1']) },
      normative(1, '6.900'),
    ],
    [
      'out of order long enough and no normative: nothing to estimate',
      { outOfOrderFrom: '2026-01', normative: null },
      { ok: false, reason: 'NO_NORMATIVE' },
    ],
    [
      'out of order only from a later period: in order now',
      { outOfOrderFrom: '2026-12' },
      average(1, '3.250', ['2026-05', '2026-10', 6]),
    ],
  ])('%s', (_case, overrides, expected) => {
    expect(decideEstimate(facts(overrides), DEFAULT_ESTIMATE_POLICY)).toEqual(expected);
  });

  it('counts the periods in a row of a meter never read and without initial values from its installation', () => {
    const never = (period: string) =>
      decideEstimate(
        facts({ period, baselinePeriod: null, installedPeriod: '2026-10', history: [] }),
        DEFAULT_ESTIMATE_POLICY,
      );
    expect(['2026-10', '2026-11', '2026-12'].map(never)).toEqual([
      normative(1, '6.900'),
      normative(2, '6.900'),
      normative(3, '6.900'),
    ]);
  });

  it('counts on from an old last reading, period after period', () => {
    const after = (period: string) =>
      decideEstimate(facts({ period, history: upTo('2026-06') }), DEFAULT_ESTIMATE_POLICY);
    expect(['2026-09', '2026-10', '2026-11'].map(after)).toEqual([
      average(3, '7.083', ['2026-01', '2026-06', 6]),
      normative(4, '6.900'),
      normative(5, '6.900'),
    ]);
  });

  it('takes N and the coefficients from the policy', () => {
    const policy: EstimatePolicy = {
      averagePeriods: { ...DEFAULT_ESTIMATE_POLICY.averagePeriods, cold_water: 1 },
      raisingCoefficients: { ...DEFAULT_ESTIMATE_POLICY.raisingCoefficients, cold_water: 2 },
    };
    expect(decideEstimate(facts({ history: upTo('2026-09') }), policy)).toEqual(
      normative(2, '6.900'),
    );
    expect(decideEstimate(facts({ outOfOrderFrom: '2026-01' }), policy)).toEqual(
      raised(1, '13.800', 2),
    );
  });
});

describe('period arithmetic', () => {
  it.each([
    ['2026-05', '2026-10', 5],
    ['2025-12', '2026-01', 1],
    ['2026-10', '2026-05', -5],
  ])('%s to %s is %p months', (from, to, months) => {
    expect(monthsBetween(from, to)).toBe(months);
    expect(addPeriods(from, months)).toBe(to);
  });
});

describe('outOfOrderFrom', () => {
  it.each<[Resource, string | null, string]>([
    ['cold_water', '2026-06-01', '2026-06'],
    ['cold_water', '2026-06-24', '2026-06'],
    ['cold_water', '2026-06-25', '2026-07'],
    ['electricity', '2026-06-25', '2026-06'],
    ['electricity', '2026-06-26', '2026-07'],
    ['hot_water', '2026-12-31', '2027-01'],
    ['gas', null, '2026-11'],
  ])('%s due %p: out of order from %s', (resource, dueOn, period) => {
    expect(outOfOrderFrom(DEFAULT_WINDOW_POLICY, resource, dueOn, '2026-11')).toBe(period);
  });
});

describe('outOfOrderAt: from the verification history at the window close', () => {
  const fit = (verifiedOn: string, dueOn: string) => ({ verifiedOn, dueOn });
  const unfit = (verifiedOn: string) => ({ verifiedOn, dueOn: null, applicable: false });
  it.each<[string, string, { verifiedOn: string; dueOn: string | null }[], string | null]>([
    ['no history, due later', '2030-01-01', [], null],
    ['no history, expired in June', '2026-06-01', [], '2026-06'],
    ['fit in force, due later', '2030-01-01', [fit('2024-01-10', '2030-01-01')], null],
    ['fit in force, expired', '2026-06-30', [fit('2020-06-30', '2026-06-30')], '2026-07'],
    [
      'unfit inside a window',
      '2026-08-19',
      [fit('2020-01-10', '2032-01-10'), unfit('2026-08-20')],
      '2026-08',
    ],
    [
      'unfit after the window closed',
      '2026-08-25',
      [fit('2020-01-10', '2032-01-10'), unfit('2026-08-26')],
      '2026-09',
    ],
    [
      'unfit this period',
      '2026-11-09',
      [fit('2020-01-10', '2032-01-10'), unfit('2026-11-10')],
      '2026-11',
    ],
    [
      'unfit after the close: not yet',
      '2030-01-01',
      [fit('2020-01-10', '2030-01-01'), unfit('2026-11-26')],
      null,
    ],
    [
      'refit after unfit',
      '2031-09-01',
      [unfit('2026-08-20'), fit('2026-09-01', '2031-09-01')],
      null,
    ],
    ['before every record', '2030-01-01', [fit('2027-01-10', '2030-01-01')], '2026-11'],
  ])('%s', (_name, verificationDueOn, verifications, expected) => {
    const meter = { resource: 'cold_water' as Resource, verificationDueOn, verifications };
    expect(outOfOrderAt(DEFAULT_WINDOW_POLICY, meter, '2026-11-25', '2026-11')).toBe(expected);
  });
});

describe('windowClosesOn', () => {
  it.each<[Resource, string, string]>([
    ['cold_water', '2026-11', '2026-11-25'],
    ['electricity', '2026-11', '2026-11-26'],
    ['heat', '2026-12', '2026-12-12'],
  ])('%s %s closes on %s', (resource, period, day) => {
    const policy = {
      ...DEFAULT_WINDOW_POLICY,
      overrides: { '2026-12': { '*': { openDay: 1, closeDay: 12 } } },
    };
    expect(windowClosesOn(policy, resource, period)).toBe(day);
  });
});

describe('periodWindows', () => {
  it('splits the resources on the day after each window closes', () => {
    // Water, gas and heat close on the 25th, electricity on the 26th (DEFAULT_WINDOW_POLICY).
    expect(periodWindows(DEFAULT_WINDOW_POLICY, '2026-11', '2026-11-25')).toEqual({
      closed: {},
      pending: [
        { resource: 'cold_water', closesOn: '2026-11-25' },
        { resource: 'hot_water', closesOn: '2026-11-25' },
        { resource: 'electricity', closesOn: '2026-11-26' },
        { resource: 'gas', closesOn: '2026-11-25' },
        { resource: 'heat', closesOn: '2026-11-25' },
      ],
    });
    expect(periodWindows(DEFAULT_WINDOW_POLICY, '2026-11', '2026-11-26')).toEqual({
      closed: {
        cold_water: '2026-11-25',
        hot_water: '2026-11-25',
        gas: '2026-11-25',
        heat: '2026-11-25',
      },
      pending: [{ resource: 'electricity', closesOn: '2026-11-26' }],
    });
    expect(periodWindows(DEFAULT_WINDOW_POLICY, '2026-11', '2026-11-27').pending).toEqual([]);
  });

  it('takes a month override and compares whole dates across months', () => {
    const policy = {
      ...DEFAULT_WINDOW_POLICY,
      overrides: { '2026-12': { '*': { openDay: 1, closeDay: 12 } } },
    };
    expect(Object.keys(periodWindows(policy, '2026-12', '2026-12-13').closed)).toHaveLength(5);
    expect(periodWindows(policy, '2026-11', '2026-12-01').pending).toEqual([]);
    expect(periodWindows(policy, '2026-12', '2026-11-30').closed).toEqual({});
  });
});
