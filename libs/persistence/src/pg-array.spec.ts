import { pgArray } from './pg-array';

/** node-postgres' own encoding of a parameter, the reference `pgArray` must match. */
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): unknown };

/** Every printable ASCII character alone and amid text, and the texts PostgreSQL reads specially. */
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const HOSTILE = [...ASCII, ...ASCII.map((c) => `a${c}b`), '', 'NULL', 'null', 'Счётчик\n№7\t😀'];

describe('pgArray', () => {
  it.each([
    ['every printable character and the texts PostgreSQL reads specially', HOSTILE],
    ['null and undefined', ['a', null, undefined, 'b']],
    ['numbers', [0, -1, 3.25, 1e21, 6]],
    ['bigints', [0n, -12345678901234567890n, 98765432109876543210n]],
    ['an empty array', []],
  ])('writes %s as node-postgres does', (_name, values) => {
    expect(pgArray(values)).toBe(prepareValue(values));
  });

  it('quotes every element and escapes only quotes and backslashes', () => {
    expect(pgArray(['a"b', 'c\\d', null, 7])).toBe('{"a\\"b","c\\\\d",NULL,"7"}');
  });

  it.each([
    ['an object', { a: 1 }],
    ['a nested array', ['x']],
    ['a date', new Date(0)],
  ])('refuses %s as an element', (_name, value) => {
    expect(() => pgArray(['ok', value])).toThrow(
      "an array parameter's element has type object; only scalars have a literal",
    );
  });
});
