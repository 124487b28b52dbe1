import 'reflect-metadata';
import { getMetadataStorage, Validator } from 'class-validator';
import { TIMESTAMP_RULE } from '@gw/contracts';
import { KioskReadingColumnsDto, KioskReadingDto } from './kiosk-batch.dto';
import { checkKioskItems } from './kiosk-item.validator';

const good = {
  seq: 3,
  accountNumber: '5001234567',
  meterSerial: '19-123456',
  values: [{ zone: 'T1', value: '01234.567' }],
  readAt: '2026-11-20T10:15:00+03:00',
};
const SERIAL = 'meterSerial must be 1 to 32 printable ASCII characters without spaces at the ends';
const item = (change: Record<string, unknown>) => ({ ...good, ...change });

/** Well-formed items. */
const ACCEPTED: [string, unknown][] = [
  ['the contract example', good],
  ['a decimal comma', item({ values: [{ zone: 'T1', value: '01234,567' }] })],
  ['a whole number', item({ values: [{ zone: 'T1', value: '1234' }] })],
  [
    'three distinct zones in any order',
    item({
      values: [
        { zone: 'T3', value: '1' },
        { zone: 'T1', value: '2.5' },
        { zone: 'T2', value: '0' },
      ],
    }),
  ],
  ['a UTC readAt', item({ readAt: '2026-11-20T07:15:00Z' })],
  ['a readAt with fractions', item({ readAt: '2026-11-20T10:15:00.123+03:00' })],
  ['a serial of 32 characters', item({ meterSerial: 'S'.repeat(32) })],
  ['a serial with an inner space', item({ meterSerial: 'AB 7' })],
  ['a large seq', item({ seq: Number.MAX_SAFE_INTEGER })],
  ['unknown extra fields', item({ comment: 'ignored' })],
];

/** Malformed items: what each is answered with, and the seq the answer carries. */
const REFUSED: [string, unknown, string[], unknown][] = [
  ['a string', 'item', ['the item must be a JSON object'], null],
  ['null', null, ['the item must be a JSON object'], null],
  ['an array', [good], ['the item must be a JSON object'], null],
  ['seq 0', item({ seq: 0 }), ['seq must be a positive integer'], 0],
  ['seq -1', item({ seq: -1 }), ['seq must be a positive integer'], -1],
  ['seq 1.5', item({ seq: 1.5 }), ['seq must be a positive integer'], 1.5],
  ['seq as a string', item({ seq: '3' }), ['seq must be a positive integer'], '3'],
  ['seq beyond safe integers', item({ seq: 2 ** 53 }), ['seq must be a positive integer'], 2 ** 53],
  ['no seq', item({ seq: undefined }), ['seq must be a positive integer'], null],
  [
    'a 9-digit account',
    item({ accountNumber: '500123456' }),
    ['accountNumber must be a string of 10 digits'],
    3,
  ],
  [
    'an 11-digit account',
    item({ accountNumber: '50012345678' }),
    ['accountNumber must be a string of 10 digits'],
    3,
  ],
  [
    'a numeric account',
    item({ accountNumber: 5001234567 }),
    ['accountNumber must be a string of 10 digits'],
    3,
  ],
  [
    'an account with letters',
    item({ accountNumber: '500123456A' }),
    ['accountNumber must be a string of 10 digits'],
    3,
  ],
  ['an empty serial', item({ meterSerial: '' }), [SERIAL], 3],
  ['a serial of 33 characters', item({ meterSerial: 'S'.repeat(33) }), [SERIAL], 3],
  ['a serial with a newline', item({ meterSerial: '19-1\n23' }), [SERIAL], 3],
  ['a numeric serial', item({ meterSerial: 19123456 }), [SERIAL], 3],
  ['a Cyrillic serial', item({ meterSerial: 'ИПУ-7' }), [SERIAL], 3],
  ['a serial with a trailing space', item({ meterSerial: '19-123456 ' }), [SERIAL], 3],
  [
    'no values',
    item({ values: [] }),
    ['values must be an array of 1 to 3 { zone, value } entries'],
    3,
  ],
  [
    'values as an object',
    item({ values: { zone: 'T1', value: '1' } }),
    ['values must be an array of 1 to 3 { zone, value } entries'],
    3,
  ],
  [
    'four values',
    item({ values: ['T1', 'T2', 'T3', 'T1'].map((zone) => ({ zone, value: '1' })) }),
    ['values must be an array of 1 to 3 { zone, value } entries'],
    3,
  ],
  [
    'a repeated zone',
    item({
      values: [
        { zone: 'T1', value: '1' },
        { zone: 'T1', value: '2' },
      ],
    }),
    ['values must not repeat a zone'],
    3,
  ],
  [
    'zone T4',
    item({ values: [{ zone: 'T4', value: '1' }] }),
    ['values[0].zone must be T1, T2 or T3'],
    3,
  ],
  [
    'a lowercase zone',
    item({ values: [{ zone: 't1', value: '1' }] }),
    ['values[0].zone must be T1, T2 or T3'],
    3,
  ],
  [
    'a value entry that is not an object',
    item({ values: ['1'] }),
    ['values[0] must be an object { zone, value }'],
    3,
  ],
  ...[
    ['a negative value', '-1'],
    ['a value with two separators', '1.2.3'],
    ['a value with a dot and a comma', '1,234.5'],
    ['a trailing separator', '12.'],
    ['a leading separator', '.5'],
    ['a value with a space', '12 345'],
    ['an exponent', '1e3'],
    ['an empty value', ''],
  ].map(([name, value]): [string, unknown, string[], unknown] => [
    name,
    item({ values: [{ zone: 'T1', value }] }),
    ['values[0].value must be a non-negative decimal string: digits with at most one "." or ","'],
    3,
  ]),
  [
    'a numeric value',
    item({ values: [{ zone: 'T1', value: 12.5 }] }),
    ['values[0].value must be a non-negative decimal string: digits with at most one "." or ","'],
    3,
  ],
  [
    'a 65-digit value',
    item({ values: [{ zone: 'T1', value: '1'.repeat(65) }] }),
    ['values[0].value must be at most 64 characters'],
    3,
  ],
  ...[
    ['readAt without an offset', '2026-11-20T10:15:00'],
    ['a date-only readAt', '2026-11-20'],
    ['an impossible date', '2026-02-30T10:00:00+03:00'],
    ['hour 24', '2026-11-20T24:00:00+03:00'],
    ['a Unix time', 1764072000],
    ['year 0000', '0000-12-05T10:00:00+03:00'],
    ['year 9999', '9999-12-31T23:00:00-14:00'],
    ['an offset beyond 14:00', '2026-11-20T10:15:00+14:01'],
  ].map(([name, readAt]): [string, unknown, string[], unknown] => [
    name as string,
    item({ readAt }),
    [`readAt ${TIMESTAMP_RULE}`],
    3,
  ]),
  [
    'several problems at once',
    item({ accountNumber: '1', values: [{ zone: 'T9', value: 'x' }] }),
    ['accountNumber must be a string of 10 digits', 'values[0].zone must be T1, T2 or T3'],
    3,
  ],
];

describe('checkKioskItems (contract 7.1 item shape)', () => {
  it.each(ACCEPTED)('accepts %s', (_name, input) => {
    const [checked] = checkKioskItems([input]);
    expect(checked).toMatchObject({ ok: true, seq: (input as { seq: number }).seq });
  });

  it.each(REFUSED)('refuses %s, naming the field', (_name, input, errors, seq) => {
    expect(checkKioskItems([input])).toEqual([{ ok: false, seq, errors }]);
  });

  describe('among well-formed items', () => {
    // seq 1 and 2 are free: no case above uses them.
    const among = (input: unknown) => [item({ seq: 1 }), input, item({ seq: 2 })];

    it.each(REFUSED)('answers %s as it would alone', (_name, input) => {
      expect(checkKioskItems(among(input))).toEqual([
        expect.objectContaining({ ok: true, seq: 1 }),
        ...checkKioskItems([input]),
        expect.objectContaining({ ok: true, seq: 2 }),
      ]);
    });

    it.each(ACCEPTED)('accepts %s with them', (_name, input) => {
      expect(checkKioskItems(among(input)).map((checked) => checked.ok)).toEqual([
        true,
        true,
        true,
      ]);
    });
  });

  describe('validations run', () => {
    let validations: jest.SpyInstance;

    beforeEach(() => {
      validations = jest.spyOn(Validator.prototype, 'validateSync');
    });

    afterEach(() => validations.mockRestore());

    it('once for a batch of well-formed items, all its readings as columns', () => {
      const items = Array.from({ length: 100 }, (_, i) => item({ seq: i + 1 }));
      expect(checkKioskItems(items).every((checked) => checked.ok)).toBe(true);
      expect(validations).toHaveBeenCalledTimes(1);
      expect(validations.mock.calls[0][0]).toBeInstanceOf(KioskReadingColumnsDto);
    });

    it('once more per object item when an item is malformed, to say which and why', () => {
      const items = [...Array.from({ length: 9 }, (_, i) => item({ seq: i + 1 })), 'not an item'];
      items[4] = item({ seq: 5, readAt: 'yesterday' });
      const checked = checkKioskItems(items);
      expect(checked.filter((c) => !c.ok).map((c) => c.seq)).toEqual([5, null]);
      expect(validations).toHaveBeenCalledTimes(1 + 9);
    });
  });

  it('checks each column with the same constraints as the property of a single reading', () => {
    const constraints = (target: new () => object) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(target, '', false, false)
        .map(({ propertyName, name, constraints: args, each }) => ({
          propertyName,
          name,
          args,
          each: each ?? false,
        }));
    const readings = constraints(KioskReadingDto);
    expect(readings.map(({ propertyName }) => propertyName).sort()).toEqual([
      'accountNumber',
      'meterSerial',
      'readAt',
      'seq',
      'values',
    ]);
    expect(constraints(KioskReadingColumnsDto)).toEqual(
      readings.map((reading) => ({ ...reading, each: true })),
    );
  });

  it('is not fooled by a __proto__ key in the JSON', () => {
    const [checked] = checkKioskItems([
      JSON.parse('{"__proto__": {"constructor": 1}, "seq": 1, "accountNumber": 5}'),
    ]);
    expect(checked).toMatchObject({ ok: false, seq: 1 });
    expect(!checked.ok && checked.errors).toContain('accountNumber must be a string of 10 digits');
  });

  it('checks every item on its own and keeps their order', () => {
    const checked = checkKioskItems([good, item({ seq: 4, accountNumber: 'x' }), item({ seq: 5 })]);
    expect(checked.map((c) => [c.seq, c.ok])).toEqual([
      [3, true],
      [4, false],
      [5, true],
    ]);
  });

  it('refuses every item of a repeated seq, valid or not', () => {
    const checked = checkKioskItems([good, item({ seq: 4 }), item({ accountNumber: 'x' })]);
    expect(checked).toEqual([
      { ok: false, seq: 3, errors: ['seq must be unique in the batch'] },
      expect.objectContaining({ ok: true, seq: 4 }),
      {
        ok: false,
        seq: 3,
        errors: ['accountNumber must be a string of 10 digits', 'seq must be unique in the batch'],
      },
    ]);
  });
});
