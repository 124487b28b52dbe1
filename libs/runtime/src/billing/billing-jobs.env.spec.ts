import { DEFAULT_ESTIMATE_POLICY } from '@gw/domain';
import { ConfigError, loadConfig } from '@gw/platform';
import { BillingJobsEnv, estimatePolicy } from './billing-jobs.env';

const policyOf = (env: Record<string, string>) => estimatePolicy(loadConfig(BillingJobsEnv, env));

describe('estimatePolicy', () => {
  it('defaults to domain.md: N = 3 (6 for electricity), coefficients 3 cold water, 1.5 the rest', () => {
    expect(policyOf({})).toEqual(DEFAULT_ESTIMATE_POLICY);
  });

  it('overrides per resource', () => {
    const policy = policyOf({
      ESTIMATE_AVERAGE_PERIODS: '{"gas":2}',
      ESTIMATE_RAISING_COEFFICIENTS: '{"hot_water":2.25}',
    });
    expect(policy.averagePeriods).toEqual({ ...DEFAULT_ESTIMATE_POLICY.averagePeriods, gas: 2 });
    expect(policy.raisingCoefficients.hot_water).toBe(2.25);
  });

  // Three decimals whose binary value times 1000 is no whole number (2.01 * 1000 = 2009.9999…).
  it.each([1.001, 2.01, 1.005, 9.999])(
    'takes the coefficient %p, three decimals at most',
    (value) => {
      const policy = policyOf({ ESTIMATE_RAISING_COEFFICIENTS: `{"cold_water":${value}}` });
      expect(policy.raisingCoefficients.cold_water).toBe(value);
    },
  );

  it.each([
    ['{"water":3}', 'ESTIMATE_AVERAGE_PERIODS: water is not a resource'],
    [
      '{"gas":1.5}',
      'ESTIMATE_AVERAGE_PERIODS: gas must be a whole number of periods from 0 to 120',
    ],
    [
      '{"gas":"3"}',
      'ESTIMATE_AVERAGE_PERIODS: gas must be a whole number of periods from 0 to 120',
    ],
  ])('refuses average periods %s', (value, problem) => {
    expect(() => policyOf({ ESTIMATE_AVERAGE_PERIODS: value })).toThrow(ConfigError);
    expect(() => policyOf({ ESTIMATE_AVERAGE_PERIODS: value })).toThrow(problem);
  });

  it.each([
    ['{"cold_water":0.5}', 'cold_water must be a number from 1 to 10 with at most 3 decimals'],
    ['{"cold_water":1.2345}', 'cold_water must be a number from 1 to 10 with at most 3 decimals'],
  ])('refuses coefficients %s', (value, problem) => {
    expect(() => policyOf({ ESTIMATE_RAISING_COEFFICIENTS: value })).toThrow(problem);
  });

  it('refuses catch-up days beyond 29', () => {
    expect(() => loadConfig(BillingJobsEnv, { REMINDER_CATCH_UP_DAYS: '30' })).toThrow(
      'REMINDER_CATCH_UP_DAYS',
    );
  });
});
