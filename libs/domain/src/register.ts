import type { Zone } from '@gw/contracts';
import { type DecimalParts, decimalParts, formatUnits, SCALE_DIGITS, toUnits } from './decimal';

/** The counting mechanism of a meter: how many digits it shows on each side of the point. */
export interface Register {
  integerDigits: number;
  fractionDigits: number;
}

/** A meter's register with its number of tariff zones, as a registry row gives them. */
export interface MeterRegister extends Register {
  zones: number;
}

/** The register column a decimal has more digits than, or null when the register shows it. */
function digitsBeyond(
  parts: DecimalParts,
  register: Register,
): 'integer_digits' | 'fraction_digits' | null {
  if (parts.integer.length > register.integerDigits) return 'integer_digits';
  if (parts.fraction.length > Math.min(register.fractionDigits, SCALE_DIGITS))
    return 'fraction_digits';
  return null;
}

/** Units of a value that fits the register; null when it is not a decimal or has too many digits. */
export function readRegister(text: string, register: Register): bigint | null {
  const parts = decimalParts(text);
  if (!parts || digitsBeyond(parts, register) !== null) return null;
  return toUnits(text);
}

/** 10^integerDigits, in units: the value at which the register wraps to zero. */
export function capacityUnits(register: Register): bigint {
  return 10n ** BigInt(register.integerDigits + SCALE_DIGITS);
}

/**
 * Consumption from `last` to `next` on one zone. A lower value can only be a wrap past the
 * register's capacity, so always a positive amount; whether that wrap is plausible is the
 * caller's decision. Null when no wrap explains it: a last value at or above the capacity (one
 * the register cannot show) never wrapped on it.
 */
export function zoneConsumption(
  last: bigint,
  next: bigint,
  register: Register,
): { units: bigint; rolledOver: boolean } | null {
  if (next >= last) return { units: next - last, rolledOver: false };
  const capacity = capacityUnits(register);
  if (last >= capacity) return null;
  return { units: capacity - last + next, rolledOver: true };
}

const ZONE_ORDER: readonly Zone[] = ['T1', 'T2', 'T3'];

/** Whether the values name each of the meter's `zoneCount` tariff zones exactly once. */
export function zonesMatch(values: readonly { zone: string }[], zoneCount: number): boolean {
  const expected = ZONE_ORDER.slice(0, zoneCount);
  const given = new Set(values.map((v) => v.zone));
  return (
    given.size === values.length &&
    given.size === expected.length &&
    expected.every((z) => given.has(z))
  );
}

/** Units per zone of values that all fit the register; null when one does not. */
export function readZoneValues(
  values: readonly { zone: string; value: string }[],
  register: Register,
): Partial<Record<Zone, bigint>> | null {
  const parsed: Partial<Record<Zone, bigint>> = {};
  for (const { zone, value } of values) {
    const units = readRegister(value, register);
    if (units === null) return null;
    parsed[zone as Zone] = units;
  }
  return parsed;
}

/**
 * Why a meter whose last accepted reading is `last` cannot be given `register`, as the registry
 * import reports the row; null when each of the reading's values has no more digits on either
 * side than the register shows (the test a submitted value passes, so 100.400 fits one fraction
 * digit and 100.456 does not). Consumption is counted from that reading: a register that cannot
 * show it would count it negative or cut it. The number of tariff zones may change (a resident
 * changes tariff): the first reading with the new zones starts their count.
 */
export function registerRefusal(
  register: MeterRegister,
  last: Partial<Record<Zone, bigint>>,
): string | null {
  const values = ZONE_ORDER.filter((zone) => last[zone] !== undefined).map((zone) => {
    const units = last[zone] as bigint;
    return { zone, units, parts: decimalParts(formatUnits(units, SCALE_DIGITS)) as DecimalParts };
  });
  const misfit = values.map((v) => digitsBeyond(v.parts, register)).find((c) => c !== null);
  if (misfit === undefined) return null;
  // Each value as the register shows it, or with the digits it has beyond those: never cut.
  const shown = values.map(({ zone, units, parts }) => {
    const value = formatUnits(units, Math.max(register.fractionDigits, parts.fraction.length));
    return values.length === 1 && zone === 'T1' ? value : `${zone} ${value}`;
  });
  const given = {
    integer_digits: register.integerDigits,
    fraction_digits: register.fractionDigits,
  };
  return `${misfit} ${given[misfit]} does not fit the meter's last accepted reading ${shown.join(', ')}`;
}
