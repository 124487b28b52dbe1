import { wholeNumber } from './whole-number';

describe('wholeNumber', () => {
  const partitions = wholeNumber(1, 1000, 'partitions');

  it.each<[string, number]>([
    ['1', 1],
    ['12', 12],
    ['012', 12],
    ['1000', 1000],
  ])('reads %p as %p', (value, number) => {
    expect(partitions(value)).toBe(number);
  });

  it.each(['0', '1001', '1e3', '0x10', '-1', '+5', '2.5', '5.', ' 5', '5 ', 'abc', '', 'Infinity'])(
    'refuses %p, naming the range',
    (value) => {
      expect(() => partitions(value)).toThrow('must be 1 to 1000 partitions');
    },
  );
});
