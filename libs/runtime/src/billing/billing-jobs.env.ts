import {
  DEFAULT_ESTIMATE_POLICY,
  type EstimatePolicy,
  MAX_REMINDER_CATCH_UP_DAYS,
  toUnits,
} from '@gw/domain';
import { ConfigError, JsonObjectEnv } from '@gw/platform';
import { IsInt, Max, Min } from 'class-validator';
import { ReadingPolicyEnv, resourceEntryProblems } from '../reading-policy.env';

/**
 * Settings of the reminder and estimate jobs, shared by the command line that runs them once and
 * the processor that schedules them, next to the reading rules' (the estimates need the windows).
 */
export class BillingJobsEnv extends ReadingPolicyEnv {
  /** JSON, e.g. {"electricity":6}: consecutive periods the average covers, per resource. */
  @JsonObjectEnv('ESTIMATE_AVERAGE_PERIODS must be a JSON object of resource -> whole number')
  ESTIMATE_AVERAGE_PERIODS: Partial<EstimatePolicy['averagePeriods']> = {};

  /** JSON, e.g. {"cold_water":3,"hot_water":1.5}: raising coefficients, per resource. */
  @JsonObjectEnv('ESTIMATE_RAISING_COEFFICIENTS must be a JSON object of resource -> number')
  ESTIMATE_RAISING_COEFFICIENTS: Partial<EstimatePolicy['raisingCoefficients']> = {};

  /** Days a reminder run looks back, making up for days the job did not run. */
  @IsInt()
  @Min(0)
  @Max(MAX_REMINDER_CATCH_UP_DAYS)
  REMINDER_CATCH_UP_DAYS: number = 3;
}

/** The estimate rule's policy from the environment; a wrong entry names its variable and resource. */
export function estimatePolicy(env: BillingJobsEnv): EstimatePolicy {
  const problems: string[] = [];
  const check = (
    name: string,
    entries: Record<string, unknown>,
    valid: (v: unknown) => boolean,
    rule: string,
  ) => {
    for (const problem of resourceEntryProblems(entries, valid, rule))
      problems.push(`${name}: ${problem}`);
  };
  check(
    'ESTIMATE_AVERAGE_PERIODS',
    env.ESTIMATE_AVERAGE_PERIODS,
    (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 120,
    'a whole number of periods from 0 to 120',
  );
  check(
    'ESTIMATE_RAISING_COEFFICIENTS',
    env.ESTIMATE_RAISING_COEFFICIENTS,
    // Read as the decimal written: 2.01 * 1000 is no whole number in binary.
    (v) => typeof v === 'number' && v >= 1 && v <= 10 && (toUnits(String(v)) ?? 1n) % 1000n === 0n,
    'a number from 1 to 10 with at most 3 decimals',
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    averagePeriods: { ...DEFAULT_ESTIMATE_POLICY.averagePeriods, ...env.ESTIMATE_AVERAGE_PERIODS },
    raisingCoefficients: {
      ...DEFAULT_ESTIMATE_POLICY.raisingCoefficients,
      ...env.ESTIMATE_RAISING_COEFFICIENTS,
    },
  };
}
