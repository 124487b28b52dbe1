import { RESOURCES } from '@gw/contracts';
import {
  DEFAULT_DAILY_CEILINGS,
  DEFAULT_WINDOW_POLICY,
  isPeriod,
  type ReadingPolicy,
  toUnits,
  type WindowPolicy,
} from '@gw/domain';
import { BaseEnv, JsonObjectEnv } from '@gw/platform';
import { isObject, IsNumber, Max, Min } from 'class-validator';

/**
 * What is wrong with a JSON object of resource -> value, one problem per entry naming its key,
 * never its value. `keys` are the keys allowed: the resources unless told otherwise.
 */
export function resourceEntryProblems(
  entries: object,
  valid: (value: unknown) => boolean,
  rule: string,
  keys: readonly string[] = RESOURCES,
): string[] {
  return Object.entries(entries).flatMap(([key, value]) => {
    if (!keys.includes(key)) return [`${key} is not a resource (${keys.join(', ')})`];
    return valid(value) ? [] : [`${key} must be ${rule}`];
  });
}

const isDayOfMonth = (day: unknown) =>
  Number.isInteger(day) && (day as number) >= 1 && (day as number) <= 31;

/** Exactly `{openDay, closeDay}`: a window with another key is a typo, not a default. */
function isWindow(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { openDay, closeDay, ...others } = value as Record<string, unknown>;
  return (
    Object.keys(others).length === 0 &&
    isDayOfMonth(openDay) &&
    isDayOfMonth(closeDay) &&
    (openDay as number) <= (closeDay as number)
  );
}

function windowOverrideProblems(overrides: object): string[] {
  return Object.entries(overrides).flatMap(([period, windows]: [string, unknown]) => {
    if (!isPeriod(period)) return [`${period} is not a period (YYYY-MM)`];
    if (!isObject(windows))
      return [`${period} must be a JSON object of resource|* -> {openDay, closeDay}`];
    return resourceEntryProblems(
      windows,
      isWindow,
      '{openDay, closeDay}, whole days from 1 to 31, openDay not after closeDay',
      ['*', ...RESOURCES],
    ).map((problem) => `${period}: ${problem}`);
  });
}

/** Compared in millionths of a unit (as meter values are): finer would read as a ceiling of 0. */
const isCeiling = (value: unknown) =>
  typeof value === 'number' && value > 0 && toUnits(String(value)) !== null;

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

  /**
   * JSON, e.g. {"cold_water":{"openDay":20,"closeDay":25}}: the window of a resource in every month
   * (domain.md: the default per resource is policy too), over the defaults of DEFAULT_WINDOW_POLICY.
   */
  @JsonObjectEnv(
    'SUBMISSION_WINDOWS must be a JSON object of resource -> {openDay, closeDay}',
    (windows) =>
      resourceEntryProblems(
        windows,
        isWindow,
        '{openDay, closeDay}, whole days from 1 to 31, openDay not after closeDay',
      ),
  )
  SUBMISSION_WINDOWS: Partial<WindowPolicy['defaults']> = {};

  /** JSON, e.g. {"2026-12":{"*":{"openDay":1,"closeDay":12}}}. */
  @JsonObjectEnv(
    'SUBMISSION_WINDOW_OVERRIDES must be a JSON object of period -> resource|* -> {openDay, closeDay}',
    windowOverrideProblems,
  )
  SUBMISSION_WINDOW_OVERRIDES: WindowPolicy['overrides'] = {};

  /** JSON, e.g. {"cold_water":3,"electricity":100}: daily ceilings per resource. */
  @JsonObjectEnv('DAILY_CEILINGS must be a JSON object of resource -> number', (ceilings) =>
    resourceEntryProblems(
      ceilings,
      isCeiling,
      "a positive number (the resource's unit a day) with at most 6 decimals",
    ),
  )
  DAILY_CEILINGS: Partial<ReadingPolicy['ceilings']> = {};
}

export function readingPolicy(env: ReadingPolicyEnv): ReadingPolicy {
  return {
    window: {
      defaults: { ...DEFAULT_WINDOW_POLICY.defaults, ...env.SUBMISSION_WINDOWS },
      overrides: env.SUBMISSION_WINDOW_OVERRIDES,
    },
    ceilings: { ...DEFAULT_DAILY_CEILINGS, ...env.DAILY_CEILINGS },
    confidenceThreshold: env.CONFIDENCE_THRESHOLD,
    futureToleranceMs: 5 * 60 * 1000,
    maxAgeMonths: 3,
  };
}

export const READING_POLICY = Symbol('READING_POLICY');
