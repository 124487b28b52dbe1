import { plainNumber } from './plain-number';

describe('plainNumber', () => {
  const months = { min: 1, max: 240 };
  const hours = { min: 0, max: 48, fraction: true };

  it.each<[string, unknown, { min: number; max: number; fraction?: boolean }, number | null]>([
    ['digits', '72', months, 72],
    ['leading zeros', '007', months, 7],
    ['the bounds', '240', months, 240],
    ['a fraction where allowed', '0.5', hours, 0.5],
    ['zero where allowed', '0', hours, 0],
    ['below the minimum', '0', months, null],
    ['above the maximum', '241', months, null],
    ['beyond any integer', '9'.repeat(400), months, null],
    ['nothing', '', months, null],
    ['blanks', ' ', months, null],
    ['blanks around digits', ' 12 ', months, null],
    ['hexadecimal', '0x10', months, null],
    ['an exponent', '1e2', hours, null],
    ['a sign', '+5', months, null],
    ['a minus', '-1', hours, null],
    ['a fraction where not allowed', '12.0', months, null],
    ['a bare decimal point', '.5', hours, null],
    ['a decimal comma', '0,5', hours, null],
    ['a word', 'ten', months, null],
    ['a number, not a text', 12, months, null],
    ['a field sent twice', ['12', '12'], months, null],
    ['a nested field', { a: '1' }, months, null],
  ])('%s', (_name, value, rule, expected) => {
    expect(plainNumber(value, rule)).toBe(expected);
  });
});
