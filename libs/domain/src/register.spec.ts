import { formatUnits, toUnits } from './decimal';
import {
  capacityUnits,
  type MeterRegister,
  readRegister,
  type Register,
  registerRefusal,
  zoneConsumption,
} from './register';

function register(overrides: Partial<Register> = {}): Register {
  return { integerDigits: 5, fractionDigits: 3, ...overrides };
}

const units = (text: string): bigint => {
  const value = toUnits(text);
  if (value === null) throw new Error(`bad test value ${text}`);
  return value;
};

describe('readRegister', () => {
  const r53 = register();
  const r61 = register({ integerDigits: 6, fractionDigits: 1 });
  const r50 = register({ fractionDigits: 0 });

  it.each<[string, string, string | null, Register]>([
    ['full width', '01234.567', '1234.567', r53],
    ['largest value', '99999.999', '99999.999', r53],
    ['zero', '00000.000', '0', r53],
    ['a bare zero', '0', '0', r53],
    ['a whole number alone', '130', '130', r53],
    ['a whole number with all integer digits', '12345', '12345', r53],
    ['fewer fraction digits', '12.5', '12.5', r53],
    ['leading zeros beyond the register', '0000000130.5', '130.5', r53],
    ['trailing zeros beyond the register', '130.500000', '130.5', r53],
    ['six integer digits on 6+1', '123456.7', '123456.7', r61],
    ['whole number on 5+0', '12345', '12345', r50],
    ['zero fraction on 5+0', '12345.0', '12345', r50],
    ['too many integer digits', '123456', null, r53],
    ['too many integer digits with a fraction', '100000.000', null, r53],
    ['too many fraction digits', '00130.0001', null, r53],
    ['too many fraction digits on 6+1', '123456.78', null, r61],
    ['any fraction on 5+0', '12345.5', null, r50],
    ['negative', '-130', null, r53],
    ['comma', '00130,000', null, r53],
    ['letters', '13O.000', null, r53],
    ['empty', '', null, r53],
    ['spaces', ' 130', null, r53],
    ['exponent', '1e2', null, r53],
    ['two dots', '1.3.0', null, r53],
  ])('%s: %p -> %p', (_name, text, expected, reg) => {
    expect(readRegister(text, reg)).toBe(expected === null ? null : units(expected));
  });
});

describe('capacityUnits = 10^integer_digits', () => {
  it.each([
    [5, '100000'],
    [6, '1000000'],
    [4, '10000'],
  ])('%p integer digits -> %s', (integerDigits, capacity) => {
    const reg = register({ integerDigits });
    expect(capacityUnits(reg)).toBe(units(capacity));
  });
});

describe('zoneConsumption', () => {
  const r53 = register();
  const r61 = register({ integerDigits: 6, fractionDigits: 1 });

  it.each<[string, string, string, string, boolean, Register]>([
    ['forward', '00100.000', '00130.500', '30.500', false, r53],
    ['zero consumption', '00130.000', '00130.000', '0.000', false, r53],
    ['rollover on 5 integer digits', '99998.000', '00002.000', '4.000', true, r53],
    ['rollover to exactly zero', '99999.000', '00000.000', '1.000', true, r53],
    ['a small decrease looks like a full turn', '00130.000', '00129.999', '99999.999', true, r53],
    ['rollover on 6+1', '999999.9', '000000.1', '0.2', true, r61],
    ['forward on 6+1', '012345.6', '012400.0', '54.4', false, r61],
  ])('%s: %s -> %s = %s (rolled over: %p)', (_name, last, next, used, rolledOver, reg) => {
    const result = zoneConsumption(units(last), units(next), reg);
    expect(result && { value: formatUnits(result.units, reg.fractionDigits), ...result }).toEqual({
      value: used,
      units: units(used),
      rolledOver,
    });
  });

  // A register narrowed under its last value: no wrap of the new one explains a lower value.
  it.each<[string, string, string, Register]>([
    ['negative amount (6 -> 5 integer digits)', '123410.000', '20000.000', r53],
    ['positive amount, still no wrap', '123410.000', '50000.000', r53],
    ['last exactly at the capacity, down to zero', '100000.000', '00000.000', r53],
    ['last exactly at the capacity', '100000.000', '99999.999', r53],
    ['on 5+1, last above the capacity', '100500.0', '00600.0', register({ fractionDigits: 1 })],
  ])('%s: %s -> %s has none', (_name, last, next, reg) => {
    expect(zoneConsumption(units(last), units(next), reg)).toBeNull();
  });

  it.each<[string, string, string, string, Register]>([
    ['a higher value from beyond the capacity is still forward', '123410', '123420', '10.000', r53],
    ['a wrap from just below the capacity', '99999.999', '00000.000', '0.001', r53],
  ])('%s: %s -> %s = %s', (_name, last, next, used, reg) => {
    expect(zoneConsumption(units(last), units(next), reg)?.units).toBe(units(used));
  });
});

describe('registerRefusal: a register the last accepted reading does not fit', () => {
  const meter = (zones: number, integerDigits: number, fractionDigits: number): MeterRegister => ({
    zones,
    integerDigits,
    fractionDigits,
  });
  const t1 = (value: string) => ({ T1: units(value) });

  it.each<[string, MeterRegister, Partial<Record<'T1' | 'T2' | 'T3', bigint>>, string | null]>([
    ['unchanged', meter(1, 5, 3), t1('12345.678'), null],
    ['more integer digits', meter(1, 6, 3), t1('12345.678'), null],
    ['more fraction digits', meter(1, 5, 6), t1('12345.678'), null],
    ['fewer integer digits the value does not need', meter(1, 4, 3), t1('1234.5'), null],
    ['fewer fraction digits, trailing zeros only', meter(1, 5, 1), t1('100.400'), null],
    ['no fraction digits for a whole value', meter(1, 5, 0), t1('100'), null],
    ['the largest value the register shows', meter(1, 5, 3), t1('99999.999'), null],
    ['zero', meter(1, 1, 0), t1('0'), null],
    ['two zones, both fit', meter(2, 5, 1), { T1: units('1100.5'), T2: units('77') }, null],
    [
      'integer_digits 6 -> 5 under 123410.000',
      meter(1, 5, 3),
      t1('123410'),
      "integer_digits 5 does not fit the meter's last accepted reading 123410.000",
    ],
    [
      'a value exactly at the capacity',
      meter(1, 5, 3),
      t1('100000'),
      "integer_digits 5 does not fit the meter's last accepted reading 100000.000",
    ],
    [
      'fraction_digits 3 -> 1 under 100.456, shown uncut',
      meter(1, 5, 1),
      t1('100.456'),
      "fraction_digits 1 does not fit the meter's last accepted reading 100.456",
    ],
    [
      'fraction_digits 3 -> 0 under 100.05',
      meter(1, 5, 0),
      t1('100.05'),
      "fraction_digits 0 does not fit the meter's last accepted reading 100.05",
    ],
    [
      'both sides too wide: the integer side is named',
      meter(1, 5, 1),
      t1('123410.456'),
      "integer_digits 5 does not fit the meter's last accepted reading 123410.456",
    ],
    ['zones 1 -> 2 (another tariff)', meter(2, 5, 1), t1('1100'), null],
    ['zones 2 -> 1', meter(1, 5, 1), { T1: units('1100'), T2: units('500.5') }, null],
    ['zones 2 -> 3', meter(3, 6, 1), { T1: units('1100'), T2: units('500.5') }, null],
    [
      'two zones, one too wide',
      meter(2, 4, 1),
      { T1: units('1100'), T2: units('10500.5') },
      "integer_digits 4 does not fit the meter's last accepted reading T1 1100.0, T2 10500.5",
    ],
    [
      'zones 2 -> 1 with a value too wide',
      meter(1, 3, 1),
      { T1: units('1100'), T2: units('500.5') },
      "integer_digits 3 does not fit the meter's last accepted reading T1 1100.0, T2 500.5",
    ],
  ])('%s', (_name, reg, last, refusal) => {
    expect(registerRefusal(reg, last)).toBe(refusal);
  });

  it('agrees with readRegister on every value it lets through', () => {
    const values = ['0', '9.999', '99999.999', '100000', '100.4', '100.456', '123410', '0.000001'];
    for (const value of values)
      for (const integerDigits of [1, 3, 5, 6])
        for (const fractionDigits of [0, 1, 3, 6]) {
          const reg = meter(1, integerDigits, fractionDigits);
          expect({ value, reg, fits: registerRefusal(reg, t1(value)) === null }).toEqual({
            value,
            reg,
            fits: readRegister(value, reg) !== null,
          });
        }
  });
});
