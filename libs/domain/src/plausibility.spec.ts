import type { Resource } from '@gw/contracts';
import { toUnits, unitsOf } from './decimal';
import { DAY_MS } from './moscow-time';
import {
  type AverageUse,
  averageUse,
  DEFAULT_DAILY_CEILINGS,
  isConsumptionSpike,
  type PeriodUsage,
  SPIKE_AVERAGE_FACTOR,
} from './plausibility';

const units = (text: string): bigint => toUnits(text) as bigint;

/** An average of `used` over `days`. */
const perDays = (used: string, days: number): AverageUse => ({
  units: units(used),
  ms: BigInt(days * DAY_MS),
});

function usage(overrides: Partial<PeriodUsage> = {}): PeriodUsage {
  return { period: '2026-10', consumptionUnits: units('3'), days: 30, ...overrides };
}

describe('DEFAULT_DAILY_CEILINGS (domain.md)', () => {
  it.each<[Resource, number]>([
    ['cold_water', 3],
    ['hot_water', 2],
    ['gas', 15],
    ['electricity', 100],
    ['heat', 3],
  ])('%s: %p per day', (resource, ceiling) => {
    expect(DEFAULT_DAILY_CEILINGS[resource]).toBe(ceiling);
  });

  it('the average factor is 10', () => {
    expect(SPIKE_AVERAGE_FACTOR).toBe(10);
  });
});

describe('averageUse', () => {
  it.each<[string, PeriodUsage[], AverageUse | null]>([
    ['no history', [], null],
    ['one period only', [usage()], null],
    [
      'two periods',
      [
        usage({ period: '2026-09', consumptionUnits: units('2'), days: 31 }),
        usage({ period: '2026-10', consumptionUnits: units('4'), days: 29 }),
      ],
      perDays('6', 60),
    ],
    [
      'three periods',
      [
        usage({ period: '2026-08', consumptionUnits: units('3'), days: 30 }),
        usage({ period: '2026-09', consumptionUnits: units('6'), days: 30 }),
        usage({ period: '2026-10', consumptionUnits: units('9'), days: 30 }),
      ],
      perDays('18', 90),
    ],
    [
      'only the last three of four periods, in any order',
      [
        usage({ period: '2026-10', consumptionUnits: units('9'), days: 30 }),
        usage({ period: '2026-06', consumptionUnits: units('900'), days: 30 }),
        usage({ period: '2026-08', consumptionUnits: units('3'), days: 30 }),
        usage({ period: '2026-09', consumptionUnits: units('6'), days: 30 }),
      ],
      perDays('18', 90),
    ],
    [
      'across a year boundary',
      [
        usage({ period: '2026-12', consumptionUnits: units('3'), days: 30 }),
        usage({ period: '2027-01', consumptionUnits: units('3'), days: 30 }),
        usage({ period: '2026-11', consumptionUnits: units('3'), days: 30 }),
        usage({ period: '2025-12', consumptionUnits: units('300'), days: 30 }),
      ],
      perDays('9', 90),
    ],
    [
      'all zero (an empty flat)',
      [
        usage({ period: '2026-09', consumptionUnits: 0n }),
        usage({ period: '2026-10', consumptionUnits: 0n }),
      ],
      null,
    ],
    [
      'zero days',
      [usage({ period: '2026-09', days: 0 }), usage({ period: '2026-10', days: 0 })],
      null,
    ],
  ])('%s', (_name, history, average) => {
    expect(averageUse(history)).toEqual(average);
  });
});

describe('isConsumptionSpike', () => {
  const H26M12 = 94_320_000 / 86_400_000;

  describe.each<[Resource, number]>(Object.entries(DEFAULT_DAILY_CEILINGS) as [Resource, number][])(
    'ceiling of %s (%p per day)',
    (_resource, ceiling) => {
      const ceilingUnits = unitsOf(ceiling);

      it.each<[string, bigint, number, boolean]>([
        ['exactly the ceiling in one day', ceilingUnits, 1, false],
        ['one unit above it in one day', ceilingUnits + 1n, 1, true],
        ['twice the ceiling over two days', ceilingUnits * 2n, 2, false],
        ['above twice the ceiling over two days', ceilingUnits * 2n + 1n, 2, true],
        ['the ceiling within the same day counts as one day', ceilingUnits, 0.25, false],
        ['above the ceiling within the same day', ceilingUnits + 1n, 0.25, true],
        ['above the ceiling with zero days', ceilingUnits + 1n, 0, true],
        // 26 h 12 min: a per-day figure in floating point comes out a hair above the ceiling.
        ['the ceiling per day over 26 h 12 min', (ceilingUnits * 131n) / 120n, H26M12, false],
        ['above it over 26 h 12 min', (ceilingUnits * 131n) / 120n + 1n, H26M12, true],
        ['nothing used', 0n, 1, false],
      ])('%s -> %p', (_name, consumption, days, spike) => {
        expect(isConsumptionSpike(consumption, days, ceiling, null)).toBe(spike);
      });
    },
  );

  const TENTH_A_DAY = perDays('3', 30);
  // 0.07 m³ in 6 days is no binary fraction: in floating point, 10x it came out a hair lower.
  const UNEVEN = perDays('0.07', 6);

  it.each<[string, string, number, AverageUse | null, boolean]>([
    ['exactly 10x the average', '1', 1, TENTH_A_DAY, false],
    ['above 10x the average', '1.000001', 1, TENTH_A_DAY, true],
    ['9x the average', '0.9', 1, TENTH_A_DAY, false],
    ['above 10x over several days', '31', 30, TENTH_A_DAY, true],
    ['no average: only the ceiling applies', '2.9', 1, null, false],
    ['a fraction of a day counts as one day', '0.9', 0.1, TENTH_A_DAY, false],
    ['exactly 10x an uneven average over 30 days', '3.5', 30, UNEVEN, false],
    ['exactly 10x an uneven average over 33 days', '3.85', 33, UNEVEN, false],
    ['above 10x an uneven average', '3.500001', 30, UNEVEN, true],
  ])('%s (%s over %p days) -> %p', (_name, used, days, average, spike) => {
    expect(isConsumptionSpike(units(used), days, 3, average)).toBe(spike);
  });

  it('the ceiling applies even when the average is high', () => {
    expect(isConsumptionSpike(units('3.5'), 1, 3, perDays('10', 1))).toBe(true);
  });
});
