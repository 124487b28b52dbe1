import { DEFAULT_DAILY_CEILINGS, windowOf } from '@gw/domain';
import { ConfigError, loadConfig } from '@gw/platform';
import { ReadingPolicyEnv, readingPolicy } from './reading-policy.env';

const load = (settings: Record<string, string>) => loadConfig(ReadingPolicyEnv, settings);

describe('SUBMISSION_WINDOW_OVERRIDES', () => {
  it('reads period -> resource or * -> {openDay, closeDay}, a resource before *', () => {
    const { window } = readingPolicy(
      load({
        SUBMISSION_WINDOW_OVERRIDES:
          '{"2026-12":{"*":{"openDay":1,"closeDay":12},"electricity":{"openDay":5,"closeDay":5}}}',
      }),
    );
    expect(windowOf(window, 'cold_water', 2026, 12)).toEqual({ openDay: 1, closeDay: 12 });
    expect(windowOf(window, 'electricity', 2026, 12)).toEqual({ openDay: 5, closeDay: 5 });
    expect(windowOf(window, 'cold_water', 2026, 11)).toEqual({ openDay: 15, closeDay: 25 });
  });

  it.each<[string, string]>([
    ['{"12-2026":{"*":{"openDay":1,"closeDay":12}}}', '12-2026 is not a period (YYYY-MM)'],
    ['{"2026-13":{"*":{"openDay":1,"closeDay":12}}}', '2026-13 is not a period (YYYY-MM)'],
    ['{"2026-12":7}', '2026-12 must be a JSON object of resource|* -> {openDay, closeDay}'],
    ['{"2026-12":[]}', '2026-12 must be a JSON object of resource|* -> {openDay, closeDay}'],
    ['{"2026-12":{"cold_watr":{"openDay":1,"closeDay":12}}}', '2026-12: cold_watr is not'],
    ['{"2026-12":{"*":{"open":1,"close":12}}}', '2026-12: * must be {openDay, closeDay}'],
    ['{"2026-12":{"*":{"openDay":20,"closeDay":5}}}', '2026-12: * must be {openDay, closeDay}'],
    ['{"2026-12":{"*":{"openDay":1,"closeDay":"x"}}}', '2026-12: * must be {openDay, closeDay}'],
    ['{"2026-12":{"gas":{"openDay":0,"closeDay":12}}}', '2026-12: gas must be {openDay, closeDay}'],
    ['{"2026-12":{"*":{"openDay":1,"closeDay":32}}}', '2026-12: * must be {openDay, closeDay}'],
    ['{"2026-12":{"*":{"openDay":1.5,"closeDay":12}}}', '2026-12: * must be {openDay, closeDay}'],
    ['{"2026-12":{"*":null}}', '2026-12: * must be {openDay, closeDay}'],
    [
      '{"2026-12":{"*":{"openDay":1,"closeDay":12,"open":1}}}',
      '2026-12: * must be {openDay, closeDay}',
    ],
  ])('refuses %s at boot, naming the variable and what is wrong', (value, problem) => {
    const boot = () => load({ SUBMISSION_WINDOW_OVERRIDES: value });
    expect(boot).toThrow(ConfigError);
    expect(boot).toThrow(`SUBMISSION_WINDOW_OVERRIDES: ${problem}`);
  });
});

describe('SUBMISSION_WINDOWS', () => {
  it('replaces the default window of a resource in every month (domain.md: window days are policy)', () => {
    const { window } = readingPolicy(
      load({
        SUBMISSION_WINDOWS: '{"cold_water":{"openDay":20,"closeDay":23}}',
        SUBMISSION_WINDOW_OVERRIDES: '{"2026-12":{"*":{"openDay":1,"closeDay":12}}}',
      }),
    );
    expect(windowOf(window, 'cold_water', 2026, 11)).toEqual({ openDay: 20, closeDay: 23 });
    expect(windowOf(window, 'cold_water', 2027, 1)).toEqual({ openDay: 20, closeDay: 23 });
    expect(windowOf(window, 'hot_water', 2026, 11)).toEqual({ openDay: 15, closeDay: 25 });
    // A month's override still wins over the default.
    expect(windowOf(window, 'cold_water', 2026, 12)).toEqual({ openDay: 1, closeDay: 12 });
  });

  it.each<[string, string]>([
    ['{"cold_watr":{"openDay":20,"closeDay":25}}', 'cold_watr is not a resource'],
    ['{"*":{"openDay":20,"closeDay":25}}', '* is not a resource'],
    ['{"gas":{"openDay":25,"closeDay":20}}', 'gas must be {openDay, closeDay}'],
    ['{"gas":{"openDay":0,"closeDay":20}}', 'gas must be {openDay, closeDay}'],
    ['{"gas":7}', 'gas must be {openDay, closeDay}'],
  ])('refuses %s at boot, naming the variable and the resource', (value, problem) => {
    const boot = () => load({ SUBMISSION_WINDOWS: value });
    expect(boot).toThrow(ConfigError);
    expect(boot).toThrow(`SUBMISSION_WINDOWS: ${problem}`);
  });
});

describe('DAILY_CEILINGS', () => {
  it('overrides the default ceilings per resource', () => {
    const { ceilings } = readingPolicy(
      load({ DAILY_CEILINGS: '{"cold_water":0.5,"electricity":250}' }),
    );
    expect(ceilings).toEqual({ ...DEFAULT_DAILY_CEILINGS, cold_water: 0.5, electricity: 250 });
  });

  it.each<[string, string]>([
    ['{"cold_watr":3}', 'cold_watr is not a resource'],
    ['{"cold_water":"abc"}', 'cold_water must be a positive number'],
    ['{"cold_water":"3"}', 'cold_water must be a positive number'],
    ['{"cold_water":null}', 'cold_water must be a positive number'],
    ['{"cold_water":-1}', 'cold_water must be a positive number'],
    ['{"cold_water":0}', 'cold_water must be a positive number'],
    ['{"cold_water":0.0000001}', 'cold_water must be a positive number'],
  ])('refuses %s at boot, naming the variable and the resource', (value, problem) => {
    const boot = () => load({ DAILY_CEILINGS: value });
    expect(boot).toThrow(ConfigError);
    expect(boot).toThrow(`DAILY_CEILINGS: ${problem}`);
  });
});
