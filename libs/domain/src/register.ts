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
