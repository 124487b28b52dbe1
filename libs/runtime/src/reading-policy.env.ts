import {
  DEFAULT_DAILY_CEILINGS,
  DEFAULT_WINDOW_POLICY,
  type ReadingPolicy,
  type WindowPolicy,
} from '@gw/domain';
import { BaseEnv, JsonObjectEnv } from '@gw/platform';
import { IsNumber, Max, Min } from 'class-validator';

/**
 * The reading rules' settings. Every app that decides or explains readings (the processor, the
 * back office's approvals, the cabinet's window) reads them under the same names, so one
 * environment configures them all alike.
 */
export class ReadingPolicyEnv extends BaseEnv {
  @IsNumber()
  @Min(0)
  @Max(1)
  CONFIDENCE_THRESHOLD: number = 0.9;

  /** JSON, e.g. {"2026-12":{"*":{"openDay":1,"closeDay":12}}}. */
  @JsonObjectEnv(
    'SUBMISSION_WINDOW_OVERRIDES must be a JSON object of period -> resource|* -> {openDay, closeDay}',
  )
  SUBMISSION_WINDOW_OVERRIDES: WindowPolicy['overrides'] = {};

  /** JSON, e.g. {"cold_water":3,"electricity":100}: daily ceilings per resource. */
  @JsonObjectEnv('DAILY_CEILINGS must be a JSON object of resource -> number')
  DAILY_CEILINGS: Partial<ReadingPolicy['ceilings']> = {};
}

export function readingPolicy(env: ReadingPolicyEnv): ReadingPolicy {
  return {
    window: { ...DEFAULT_WINDOW_POLICY, overrides: env.SUBMISSION_WINDOW_OVERRIDES },
    ceilings: { ...DEFAULT_DAILY_CEILINGS, ...env.DAILY_CEILINGS },
    confidenceThreshold: env.CONFIDENCE_THRESHOLD,
    futureToleranceMs: 5 * 60 * 1000,
    maxAgeMonths: 3,
  };
}

export const READING_POLICY = Symbol('READING_POLICY');
