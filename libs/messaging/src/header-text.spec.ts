import type { IHeaders } from 'kafkajs';
import { headerText } from './header-text';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('headerText', () => {
  it.each<[string, IHeaders, string | undefined]>([
    ['a value as Kafka delivers it, in bytes', { h: Buffer.from(TRACEPARENT) }, TRACEPARENT],
    ['a value given as text', { h: 'reading-processor' }, 'reading-processor'],
    ['UTF-8 text', { h: Buffer.from('показания №1') }, 'показания №1'],
    ['an empty value', { h: Buffer.alloc(0) }, ''],
    [
      'bytes that are not UTF-8, with U+FFFD in their place',
      { h: Buffer.from([0x61, 0xff, 0x62]) },
      'a\uFFFDb',
    ],
    ['the first of a repeated header', { h: [Buffer.from('first'), 'second'] }, 'first'],
    ['the first of a repeated header given as text', { h: ['first', 'second'] }, 'first'],
    ['no header of that name', { other: 'x' }, undefined],
    ['a header listed with no value', { h: [] }, undefined],
    ['a header set to undefined', { h: undefined }, undefined],
    [
      'a header Kafka delivers without a value (null)',
      { h: null } as unknown as IHeaders,
      undefined,
    ],
    [
      'a repeated header whose first value is null',
      { h: [null, 'second'] } as unknown as IHeaders,
      undefined,
    ],
  ])('reads %s', (_, headers, expected) => {
    expect(headerText(headers, 'h')).toBe(expected);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'finds no %p header on a message without one',
    (name) => {
      expect(headerText({ h: 'x' }, name)).toBeUndefined();
    },
  );
});
