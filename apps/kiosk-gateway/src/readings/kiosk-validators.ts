import { readTimestamp, TIMESTAMP_RULE, ZONES, type Zone } from '@gw/contracts';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * class-validator decorators for kiosk readings. Each property has one constraint that checks
 * everything about it and names the first problem: the validator's cost is per constraint, and
 * it runs for every reading of every batch. Each takes class-validator's options, `each` included.
 */

export const DECIMAL = /^\d+(?:[.,]\d+)?$/;
const VALUES = 'must be an array of 1 to 3 { zone, value } entries';

export function IsPositiveInteger(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPositiveInteger',
      validator: {
        validate: (value: unknown) => Number.isSafeInteger(value) && Number(value) >= 1,
      },
    },
    { message: 'must be a positive integer', ...options },
  );
}

/** Any RFC 3339 timestamp the gateway accepts; the canonical submission carries it normalised. */
export function IsRfc3339(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRfc3339',
      validator: {
        validate: (value: unknown) => readTimestamp(value) !== null,
      },
    },
    { message: TIMESTAMP_RULE, ...options },
  );
}

/**
 * The first problem of a `values` array; null when it is well-formed. A problem of one entry
 * continues the path (`[1].zone must be …`).
 */
export function zoneValuesProblem(values: unknown): string | null {
  if (!Array.isArray(values) || values.length < 1 || values.length > 3) return VALUES;
  const zones = new Set<unknown>();
  for (const [i, entry] of values.entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      return `[${i}] must be an object { zone, value }`;
    const { zone, value } = entry as { zone?: unknown; value?: unknown };
    if (!ZONES.includes(zone as Zone)) return `[${i}].zone must be T1, T2 or T3`;
    if (typeof value !== 'string' || !DECIMAL.test(value))
      return `[${i}].value must be a non-negative decimal string: digits with at most one "." or ","`;
    if (value.length > 64) return `[${i}].value must be at most 64 characters`;
    zones.add(zone);
  }
  return zones.size === values.length ? null : 'must not repeat a zone';
}

export function IsZoneValues(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isZoneValues',
      validator: {
        validate: (values: unknown) => zoneValuesProblem(values) === null,
        defaultMessage: (args) => zoneValuesProblem(args?.value) ?? '',
      },
    },
    options,
  );
}
