/**
 * Meter values are exact decimals. They are held as integers of millionths (bigint) so that
 * consumption and rollover arithmetic never meets binary floating point.
 */
export const SCALE_DIGITS = 6;
const SCALE = 10n ** BigInt(SCALE_DIGITS);

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

export interface DecimalParts {
  /** Integer part without leading zeros ("" for zero). */
  integer: string;
  /** Fraction part without trailing zeros. */
  fraction: string;
}

/** Splits a non-negative decimal string ("01234.560"); null when it is not one. */
export function decimalParts(text: string): DecimalParts | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  return { integer: m[1].replace(/^0+/, ''), fraction: (m[2] ?? '').replace(/0+$/, '') };
}

/** Units (millionths) of a decimal whose fraction fits the scale; null otherwise. */
export function toUnits(text: string): bigint | null {
  const parts = decimalParts(text);
  if (!parts || parts.fraction.length > SCALE_DIGITS) return null;
  return BigInt(parts.integer || '0') * SCALE + BigInt(parts.fraction.padEnd(SCALE_DIGITS, '0'));
}

/** Formats units with exactly `fractionDigits` digits after the point (truncating beyond the scale). */
export function formatUnits(units: bigint, fractionDigits: number): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const integer = (abs / SCALE).toString();
  const digits = Math.min(fractionDigits, SCALE_DIGITS);
  const fraction = (abs % SCALE).toString().padStart(SCALE_DIGITS, '0').slice(0, digits);
  return `${negative ? '-' : ''}${integer}${digits > 0 ? `.${fraction}` : ''}`;
}

/** Units of a plain number of whole units (a ceiling such as 3 m³ per day). */
export function unitsOf(amount: number): bigint {
  return BigInt(Math.round(amount * Number(SCALE)));
}
