import type { Zone } from '@gw/contracts';
import { decimalParts, SCALE_DIGITS, toUnits } from './decimal';

/** The counting mechanism of a meter: how many digits it shows on each side of the point. */
export interface Register {
  integerDigits: number;
  fractionDigits: number;
}

/** Units of a value that fits the register; null when it is not a decimal or has too many digits. */
export function readRegister(text: string, register: Register): bigint | null {
  const parts = decimalParts(text);
  if (!parts) return null;
  if (parts.integer.length > register.integerDigits) return null;
  if (parts.fraction.length > Math.min(register.fractionDigits, SCALE_DIGITS)) return null;
  return toUnits(text);
}

/** 10^integerDigits, in units: the value at which the register wraps to zero. */
export function capacityUnits(register: Register): bigint {
  return 10n ** BigInt(register.integerDigits + SCALE_DIGITS);
}

/**
 * Consumption from `last` to `next` on one zone. A lower value can only be a wrap past the
 * register's capacity; whether that wrap is plausible is the caller's decision.
 */
export function zoneConsumption(
  last: bigint,
  next: bigint,
  register: Register,
): { units: bigint; rolledOver: boolean } {
  if (next >= last) return { units: next - last, rolledOver: false };
  return { units: capacityUnits(register) - last + next, rolledOver: true };
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
