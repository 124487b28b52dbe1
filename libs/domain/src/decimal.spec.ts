import { decimalParts, formatUnits, SCALE_DIGITS, toUnits, unitsOf } from './decimal';

/** Strings that are not a non-negative decimal with a dot (contract: VALUE_FORMAT). */
const NOT_DECIMALS: [string, string][] = [
  ['empty', ''],
  ['negative', '-1'],
  ['negative zero', '-0'],
  ['explicit plus', '+1'],
  ['comma separator', '01234,567'],
  ['leading space', ' 1'],
  ['trailing space', '1 '],
  ['inner space', '1 234.5'],
  ['exponent', '1e3'],
  ['exponent with fraction', '1.5E2'],
  ['multiple dots', '1.2.3'],
  ['dot only', '.'],
  ['no integer part', '.5'],
  ['no fraction after dot', '5.'],
  ['letters', '12a4'],
  ['letter O for zero', '1O0'],
  ['hex', '0x10'],
  ['NaN', 'NaN'],
  ['Infinity', 'Infinity'],
  ['non-ASCII digits', '١٢٣'],
  ['fullwidth digits', '１２３'],
  ['newline after', '12\n'],
];

describe('decimalParts', () => {
  it.each([
    ['01234.567', '1234', '567'],
    ['1234.567', '1234', '567'],
    ['00000.000', '', ''],
    ['0', '', ''],
    ['000', '', ''],
    ['12', '12', ''],
    ['12.0', '12', ''],
    ['12.500', '12', '5'],
    ['0.05', '', '05'],
    ['00012.010', '12', '01'],
    ['100', '100', ''],
    ['10.10', '10', '1'],
  ])('%s -> integer %p, fraction %p', (text, integer, fraction) => {
    expect(decimalParts(text)).toEqual({ integer, fraction });
  });

  it.each(NOT_DECIMALS)('rejects %s (%p)', (_name, text) => {
    expect(decimalParts(text)).toBeNull();
  });
});

describe('toUnits', () => {
  it.each([
    ['01234.567', 1_234_567_000n],
    ['1234.567', 1_234_567_000n],
    ['0', 0n],
    ['00000.000', 0n],
    ['12', 12_000_000n],
    ['12.5', 12_500_000n],
    ['12.500000000', 12_500_000n],
    ['0.000001', 1n],
    ['0.0000010', 1n],
    ['99999.999', 99_999_999_000n],
    ['123456789012', 123_456_789_012_000_000n],
  ])('%s -> %p units', (text, units) => {
    expect(toUnits(text)).toBe(units);
  });

  it('leading and trailing zeros give the same units as the plain value', () => {
    expect(toUnits('0000012.3400')).toBe(toUnits('12.34'));
  });

  it('rejects fractions finer than the scale', () => {
    expect(SCALE_DIGITS).toBe(6);
    expect(toUnits('0.0000001')).toBeNull();
  });

  it.each(NOT_DECIMALS)('rejects %s (%p)', (_name, text) => {
    expect(toUnits(text)).toBeNull();
  });
});

describe('formatUnits', () => {
  it.each([
    [1_234_567_000n, 3, '1234.567'],
    [1_234_567_000n, 2, '1234.56'],
    [1_234_567_000n, 1, '1234.5'],
    [1_234_567_000n, 0, '1234'],
    [4_000_000n, 3, '4.000'],
    [0n, 3, '0.000'],
    [0n, 0, '0'],
    [1n, 6, '0.000001'],
    [1n, 3, '0.000'],
    [1n, 8, '0.000001'],
    [12_345_000n, 6, '12.345000'],
    [99_999_999_000n, 3, '99999.999'],
    [-1_500_000n, 3, '-1.500'],
    [-500_000n, 1, '-0.5'],
  ])('%p units with %p fraction digits -> %p', (units, digits, text) => {
    expect(formatUnits(units, digits)).toBe(text);
  });

  it.each(['01234.567', '0.5', '100', '99999.999'])('round-trips %p through units', (text) => {
    const units = toUnits(text) as bigint;
    expect(toUnits(formatUnits(units, 3))).toBe(units);
  });
});

describe('unitsOf', () => {
  it.each([
    [3, 3_000_000n],
    [100, 100_000_000n],
    [0, 0n],
    [0.1, 100_000n],
    [2.5, 2_500_000n],
    [0.0000004, 0n],
    [0.0000006, 1n],
  ])('unitsOf(%p) = %p', (amount, units) => {
    expect(unitsOf(amount)).toBe(units);
  });
});
