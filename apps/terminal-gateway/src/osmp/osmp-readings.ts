import { normaliseDecimal, ZONES, type Zone } from '@gw/contracts';
import { decimalParts, METER_SERIAL } from '@gw/domain';
import { OsmpError } from './osmp-errors';
import { type OsmpParams, quote, READING_PARAM } from './osmp-params';

/** One meter's values from a pay: `meterN` with `t1_N` .. `t3_N`. */
export interface MeterReadingParams {
  index: number;
  serial: string;
  /** Zone order, decimal dot. */
  values: { zone: Zone; value: string }[];
}

/** The account's meter as far as the protocol's own checks need it. */
export interface MeterShape {
  serial: string;
  zones: number;
}

export const MAX_METERS_PER_PAY = 20;
const INDEX = /^[1-9]\d*$/;
/** A reading parameter's name in any case: `Meter2` or `T1_2` is a typo, not another parameter. */
const READING_PARAM_ANY_CASE = new RegExp(READING_PARAM.source, 'i');
const MAX_VALUE_LENGTH = 32;

const refused = (message: string) => new OsmpError('READING_REFUSED', message);

/** A reading as a terminal may type it: digits with at most one decimal comma or dot. */
export function readingValue(text: string): string | null {
  const value = normaliseDecimal(text);
  return text.length <= MAX_VALUE_LENGTH && decimalParts(value) !== null ? value : null;
}

/**
 * The readings of a pay, checked for what the protocol alone can tell: each index has its meter
 * and at least one value, values are non-negative decimals, no meter is given twice, and no
 * reading parameter is named in another case. Empty parameters count as absent (terminals send
 * every field of their form).
 */
export function parseReadings(params: OsmpParams): MeterReadingParams[] {
  const indexes = new Set<number>();
  for (const name of Object.keys(params)) {
    if (params[name].trim() === '') continue;
    const match = READING_PARAM.exec(name);
    if (!match) {
      // Ignored, its meter's reading would be missing from a pay answered OK.
      if (READING_PARAM_ANY_CASE.test(name))
        throw new OsmpError(
          'BAD_REQUEST',
          `parameter ${quote(name)}: reading parameters are written in lower case (${name.toLowerCase()})`,
        );
      continue;
    }
    if (!INDEX.test(match[1]) || Number(match[1]) > MAX_METERS_PER_PAY)
      throw refused(`parameter ${quote(name)}: N must be 1 to ${MAX_METERS_PER_PAY}`);
    indexes.add(Number(match[1]));
  }
  if (indexes.size === 0)
    throw new OsmpError('BAD_REQUEST', 'no readings: give meter1 with t1_1 (and t2_1, t3_1)');

  const readings: MeterReadingParams[] = [];
  const indexOfSerial = new Map<string, number>();
  for (const n of [...indexes].sort((a, b) => a - b)) {
    const serial = params[`meter${n}`]?.trim() ?? '';
    if (serial === '') throw refused(`meter${n} is required with t1_${n}, t2_${n}, t3_${n}`);
    if (!METER_SERIAL.test(serial))
      throw refused(`meter${n} ${quote(serial)} must be 1 to 32 printable characters`);
    const seen = indexOfSerial.get(serial);
    if (seen !== undefined) throw refused(`meter${n} repeats meter${seen} ${quote(serial)}`);
    indexOfSerial.set(serial, n);
    const values: MeterReadingParams['values'] = [];
    for (const [i, zone] of ZONES.entries()) {
      const name = `t${i + 1}_${n}`;
      const text = params[name]?.trim() ?? '';
      if (text === '') continue;
      const value = readingValue(text);
      if (value === null) throw refused(`${name} ${quote(text)} is not a non-negative decimal`);
      values.push({ zone, value });
    }
    if (values.length === 0) throw refused(`meter${n} ${quote(serial)} has no value: give t1_${n}`);
    readings.push({ index: n, serial, values });
  }
  return readings;
}

/** Each meter must be the account's, with exactly the values of its tariff zones. */
export function checkReadingsFitMeters(readings: MeterReadingParams[], meters: MeterShape[]): void {
  const bySerial = new Map(meters.map((m) => [m.serial, m]));
  for (const { index, serial, values } of readings) {
    const meter = bySerial.get(serial);
    if (!meter) throw refused(`meter${index} ${quote(serial)} is not a meter of this account`);
    const expected = ZONES.slice(0, meter.zones);
    if (values.map((v) => v.zone).join() !== expected.join()) {
      const names = expected.map((_, i) => `t${i + 1}_${index}`).join(', ');
      throw refused(
        `meter${index} ${quote(serial)} has ${meter.zones} tariff zone(s): give ${names}`,
      );
    }
  }
}
