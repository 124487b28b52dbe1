import { isOrderedRange, isPeriod } from './period-range';

describe('isPeriod', () => {
  it.each([
    ['2026-11', true],
    ['2026-01', true],
    ['2026-12', true],
    ['0000-01', false],
    ['0001-01', false],
    ['1999-12', false],
    ['2000-01', true],
    ['2099-12', true],
    ['2100-01', false],
    ['9999-12', false],
    ['2026-00', false],
    ['2026-13', false],
    ['2026-1', false],
    ['26-11', false],
    ['2026/11', false],
    ['2026-11-01', false],
    [' 2026-11', false],
    ['2026-11\n', false],
    ['112026', false],
    ['', false],
    [202611, false],
    [null, false],
    [undefined, false],
    [['2026-11'], false],
  ])('%p: %s', (value, expected) => {
    expect(isPeriod(value)).toBe(expected);
  });
});

describe('isOrderedRange', () => {
  it.each([
    ['2026-01', '2026-12', true],
    ['2026-11', '2026-11', true],
    ['2025-12', '2026-01', true],
    ['2026-02', '2026-01', false],
    ['2027-01', '2026-12', false],
    [null, '2026-01', true],
    ['2026-01', null, true],
    [null, null, true],
  ])('from %p to %p: %s', (from, to, expected) => {
    expect(isOrderedRange({ from, to })).toBe(expected);
  });
});
