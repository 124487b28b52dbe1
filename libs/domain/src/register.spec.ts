import { formatUnits, toUnits } from './decimal';
import { capacityUnits, readRegister, type Register, zoneConsumption } from './register';

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
    expect({
      value: formatUnits(result.units, reg.fractionDigits),
      rolledOver: result.rolledOver,
    }).toEqual({
      value: used,
      rolledOver,
    });
  });
});
