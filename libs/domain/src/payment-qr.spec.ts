import { type PaymentQr, parsePaymentQr, QR_MAX_LENGTH } from './payment-qr';

/** The required fields of ГОСТ Р 56042-2014 plus the two a housing-utility slip carries. */
const FIELDS: [string, string][] = [
  ['Name', 'ООО "МосОблЕИРЦ"'],
  ['PersonalAcc', '40702810040000012345'],
  ['BankName', 'ПАО Сбербанк'],
  ['BIC', '044525225'],
  ['CorrespAcc', '30101810400000000225'],
  ['PersAcc', '5001234567'],
  ['paymPeriod', '112026'],
];

function payload(
  fields: [string, string][] = FIELDS,
  { header = 'ST00012', separator = '|' } = {},
): string {
  return `${header}${separator}${fields.map(([k, v]) => `${k}=${v}`).join(separator)}`;
}

const set = (key: string, value: string): [string, string][] =>
  FIELDS.map(([k, v]) => [k, k === key ? value : v]);
const without = (key: string): [string, string][] => FIELDS.filter(([k]) => k !== key);

const EXPECTED: PaymentQr = {
  charset: 'utf-8',
  separator: '|',
  name: 'ООО "МосОблЕИРЦ"',
  personalAcc: '40702810040000012345',
  bankName: 'ПАО Сбербанк',
  bic: '044525225',
  correspAcc: '30101810400000000225',
  persAcc: '5001234567',
  paymPeriod: '2026-11',
};

describe('parsePaymentQr: valid payloads', () => {
  it('parses a housing-utility slip (header ST0001, charset 2, "|")', () => {
    expect(parsePaymentQr(payload())).toEqual({ ok: true, value: EXPECTED });
  });

  it.each<[string, string, Partial<PaymentQr>]>([
    ['keys in lower case', payload(FIELDS.map(([k, v]) => [k.toLowerCase(), v])), {}],
    ['keys in upper case', payload(FIELDS.map(([k, v]) => [k.toUpperCase(), v])), {}],
    [
      'PersAcc spelled persAcc',
      payload(FIELDS.map(([k, v]) => [k === 'PersAcc' ? 'persAcc' : k, v])),
      {},
    ],
    ['fields in another order', payload([...FIELDS].reverse()), {}],
    ['PaymPeriod as MM.YYYY', payload(set('paymPeriod', '11.2026')), {}],
    ['PaymPeriod in January', payload(set('paymPeriod', '012027')), { paymPeriod: '2027-01' }],
    ['PaymPeriod in December', payload(set('paymPeriod', '12.2026')), { paymPeriod: '2026-12' }],
    ['no PaymPeriod', payload(without('paymPeriod')), { paymPeriod: null }],
    ['an empty PaymPeriod', payload(set('paymPeriod', '')), { paymPeriod: null }],
    ['no PersAcc', payload(without('PersAcc')), { persAcc: null }],
    ['an empty PersAcc', payload(set('PersAcc', '')), { persAcc: null }],
    ['a separator after the last field', `${payload()}|`, {}],
    ['separator "#"', payload(FIELDS, { separator: '#' }), { separator: '#' }],
    ['separator ";"', payload(FIELDS, { separator: ';' }), { separator: ';' }],
    [
      'charset 1 (windows-1251), text already decoded',
      payload(FIELDS, { header: 'ST00011' }),
      { charset: 'windows-1251' },
    ],
    [
      'charset 3 (KOI8-R), text already decoded',
      payload(FIELDS, { header: 'ST00013' }),
      { charset: 'koi8-r' },
    ],
    ['CorrespAcc 0 (a Treasury payee)', payload(set('CorrespAcc', '0')), { correspAcc: '0' }],
    ['a value with "="', payload(set('Name', 'ТСЖ a=b')), { name: 'ТСЖ a=b' }],
    [
      'a value with an unknown key after a space',
      payload(set('Name', 'ТСЖ "Дом" note=1')),
      { name: 'ТСЖ "Дом" note=1' },
    ],
    [
      'unknown and optional fields',
      payload([
        ...FIELDS,
        ['Sum', '152034'],
        ['Purpose', 'ЖКУ за ноябрь'],
        ['CounterId', '19-123456'],
        ['CounterVal', '123'],
        ['XFuture', 'x'],
      ]),
      {},
    ],
    ['a Name of 160 characters', payload(set('Name', 'Н'.repeat(160))), { name: 'Н'.repeat(160) }],
    [
      'a BankName of 45 characters',
      payload(set('BankName', 'Б'.repeat(45))),
      { bankName: 'Б'.repeat(45) },
    ],
  ])('%s', (_name, text, changes) => {
    expect(parsePaymentQr(text)).toEqual({ ok: true, value: { ...EXPECTED, ...changes } });
  });

  it('does not return fields it did not validate', () => {
    const result = parsePaymentQr(payload([...FIELDS, ['Sum', 'not-a-sum']]));
    expect(result.ok && Object.keys(result.value).sort()).toEqual(Object.keys(EXPECTED).sort());
  });
});

describe('parsePaymentQr: rejected payloads name the problem', () => {
  it.each<[string, string, string]>([
    // Header and charset
    ['an empty payload', '', 'payload is empty'],
    ['another format', 'https://pay.example/?acc=5001234567', 'payload must start with ST0001'],
    ['header ST0002', payload(FIELDS, { header: 'ST00022' }), 'payload must start with ST0001'],
    [
      'header in lower case',
      payload(FIELDS, { header: 'st00012' }),
      'payload must start with ST0001',
    ],
    ['header with a leading space', ` ${payload()}`, 'payload must start with ST0001'],
    ['a BOM before the header', `\uFEFF${payload()}`, 'payload must start with ST0001'],
    ['header only', 'ST0001', 'the charset digit after ST0001 must be 1, 2 or 3, got ""'],
    [
      'charset 0',
      payload(FIELDS, { header: 'ST00010' }),
      'the charset digit after ST0001 must be 1, 2 or 3, got "0"',
    ],
    [
      'charset 4',
      payload(FIELDS, { header: 'ST00014' }),
      'the charset digit after ST0001 must be 1, 2 or 3, got "4"',
    ],
    [
      'no charset digit',
      `ST0001|${payload().slice(8)}`,
      'the charset digit after ST0001 must be 1, 2 or 3, got "|"',
    ],
    ['no fields', 'ST00012', 'payload has no fields after the header'],
    // Separators
    [
      'a letter right after the header',
      payload(FIELDS, { separator: '' }),
      'the header must be followed by a separator (not a letter, digit, space or "="), got "N"',
    ],
    [
      'a digit as separator',
      payload(FIELDS, { separator: '7' }),
      'the header must be followed by a separator (not a letter, digit, space or "="), got "7"',
    ],
    [
      '"=" as separator',
      `ST00012=${payload().slice(8)}`,
      'the header must be followed by a separator (not a letter, digit, space or "="), got "="',
    ],
    [
      'a space as separator',
      payload(FIELDS, { separator: ' ' }),
      'the header must be followed by a separator (not a letter, digit, space or "="), got " "',
    ],
    [
      'fields separated by ";" after a "|" header',
      `ST00012|${FIELDS.map(([k, v]) => `${k}=${v}`).join(';')}`,
      'field Name contains "PersonalAcc=": fields must be separated by "|"',
    ],
    [
      'fields separated by "|" after a "#" header',
      `ST00012#${FIELDS.map(([k, v]) => `${k}=${v}`).join('|')}`,
      'field Name contains "PersonalAcc=": fields must be separated by "#"',
    ],
    [
      'one field joined by a wrong separator',
      payload(FIELDS).replace('|BIC=', '/BIC='),
      'field BankName contains "BIC=": fields must be separated by "|"',
    ],
    ['two separators in a row', payload().replace('|BIC=', '||BIC='), 'field 4 is empty'],
    [
      'a separator right after the header',
      payload().replace('ST00012|', 'ST00012||'),
      'field 1 is empty',
    ],
    ['two separators at the end', `${payload()}||`, 'field 8 is empty'],
    // Fields
    [
      'a field without "="',
      payload([...FIELDS, ['Note', '']]).replace('Note=', 'Note'),
      'field 8 is not Key=Value',
    ],
    ['a field with an empty key', `${payload()}|=x`, 'field 8 has no valid key'],
    ['a key with a space', `${payload()}|Sum x=1`, 'field 8 has no valid key'],
    ['a key starting with a digit', `${payload()}|1Sum=1`, 'field 8 has no valid key'],
    [
      'a key given twice',
      payload([...FIELDS, ['Sum', '1'], ['Sum', '2']]),
      'field Sum appears twice',
    ],
    [
      'a key given twice in another case',
      payload([...FIELDS, ['persacc', '5001234567']]),
      'field persacc appears twice',
    ],
    // Required fields
    ...['Name', 'PersonalAcc', 'BankName', 'BIC', 'CorrespAcc'].flatMap(
      (key): [string, string, string][] => [
        [`no ${key}`, payload(without(key)), `required field ${key} is missing`],
        [`an empty ${key}`, payload(set(key, '')), `required field ${key} is missing`],
      ],
    ),
    [
      'a Name of 161 characters',
      payload(set('Name', 'Н'.repeat(161))),
      'Name must be at most 160 characters',
    ],
    [
      'a BankName of 46 characters',
      payload(set('BankName', 'Б'.repeat(46))),
      'BankName must be at most 45 characters',
    ],
    [
      'PersonalAcc of 19 digits',
      payload(set('PersonalAcc', '4070281004000001234')),
      'PersonalAcc must be 20 digits',
    ],
    [
      'PersonalAcc with a letter',
      payload(set('PersonalAcc', '4070281004000001234X')),
      'PersonalAcc must be 20 digits',
    ],
    ['BIC of 8 digits', payload(set('BIC', '04452522')), 'BIC must be 9 digits'],
    ['BIC of 10 digits', payload(set('BIC', '0445252250')), 'BIC must be 9 digits'],
    [
      'CorrespAcc of 21 digits',
      payload(set('CorrespAcc', '301018104000000002250')),
      'CorrespAcc must be 20 digits (or 0)',
    ],
    ['CorrespAcc 00', payload(set('CorrespAcc', '00')), 'CorrespAcc must be 20 digits (or 0)'],
    // PersAcc and PaymPeriod
    [
      'PersAcc of 9 digits',
      payload(set('PersAcc', '500123456')),
      'PersAcc must be a 10-digit account number',
    ],
    [
      'PersAcc of 11 digits',
      payload(set('PersAcc', '50012345678')),
      'PersAcc must be a 10-digit account number',
    ],
    [
      'PersAcc with a dash',
      payload(set('PersAcc', '500-123456')),
      'PersAcc must be a 10-digit account number',
    ],
    [
      'PersAcc with a space',
      payload(set('PersAcc', '5001234567 ')),
      'PersAcc must be a 10-digit account number',
    ],
    ...[
      '132026',
      '002026',
      '1.2026',
      '11/2026',
      '2026-11',
      '11.26',
      '1120261',
      'ноябрь',
      '111999',
      '112100',
    ].map((period): [string, string, string] => [
      `PaymPeriod ${period}`,
      payload(set('paymPeriod', period)),
      'PaymPeriod must be a month as MMYYYY or MM.YYYY',
    ]),
    // Text that is not a clean scan
    [
      'a line break',
      payload(set('Name', 'ООО\nМосОблЕИРЦ')),
      'payload contains control characters',
    ],
    ['a tab', payload(set('Name', 'ООО\tМосОблЕИРЦ')), 'payload contains control characters'],
    ['a NUL', `${payload()}\u0000`, 'payload contains control characters'],
    [
      'a replacement character (mis-decoded text)',
      payload(set('Name', 'ООО \uFFFD\uFFFD')),
      'payload contains undecodable characters (U+FFFD): it was not decoded correctly',
    ],
    [
      'too long',
      payload([...FIELDS, ['Purpose', 'x'.repeat(QR_MAX_LENGTH)]]),
      `payload is longer than ${QR_MAX_LENGTH} characters`,
    ],
  ])('%s', (_name, text, error) => {
    expect(parsePaymentQr(text)).toEqual({ ok: false, error });
  });
});
