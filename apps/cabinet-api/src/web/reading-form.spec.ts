import { readingForm, valueError } from './reading-form';

const cold = { integerDigits: 5, fractionDigits: 3 };

describe('valueError: a typed value against the register', () => {
  it.each([
    ['123', null],
    ['00123', null],
    ['123,456', null],
    ['123.4', null],
    ['123,', null],
    ['0000099999', null],
    ['123456', 'Слишком много цифр до запятой: у этого счётчика их не больше 5.'],
    ['1,2345', 'После запятой — не больше 3 цифр'],
    // Trailing zeros do not count, as the rules (and every other channel) read the value.
    ['123,4500', null],
    ['123,000000', null],
    // Beyond the JSON API's 6 digits after the comma, zeros included, as there.
    ['123,0000000', 'После запятой — не больше 3 цифр'],
    ['12а', 'Введите число'],
    ['1 234', 'Введите число'],
    ['-1', 'Введите число'],
    [',5', 'Введите число'],
    ['1,2,3', 'Введите число'],
    // Leading zeros count against the JSON API's 15 digits before the comma, as there.
    [`${'0'.repeat(12)}123`, null],
    [`${'0'.repeat(13)}123`, 'Слишком много цифр до запятой'],
    [`${'0'.repeat(40)}123`, 'Слишком много цифр до запятой'],
  ])('%p', (text, expected) => {
    const error = valueError(text, cold);
    if (expected === null) expect(error).toBeNull();
    else expect(error).toContain(expected);
  });

  it('asks for a whole number on a register without a fraction', () => {
    expect(valueError('12,5', { integerDigits: 6, fractionDigits: 0 })).toBe(
      'У этого счётчика нет дробной части: введите целое число.',
    );
  });

  it('takes zeros after the comma on a register without a fraction, as the rules do', () => {
    expect(valueError('12,0', { integerDigits: 6, fractionDigits: 0 })).toBeNull();
  });
});

describe('readingForm', () => {
  const meters = [
    { serial: 'C-1', zones: ['T1'], acceptsReadings: true, ...cold },
    {
      serial: 'E-1',
      zones: ['T1', 'T2'],
      integerDigits: 6,
      fractionDigits: 1,
      acceptsReadings: true,
    },
    { serial: 'H-1', zones: ['T1'], acceptsReadings: false, ...cold },
  ];

  it.each([
    [
      'one meter, comma to dot, dangling separator dropped',
      { 's-0': 'C-1', 'v-0-T1': ' 120,5 ', 's-1': 'E-1', 'v-1-T1': '', 'v-1-T2': '' },
      [{ meterSerial: 'C-1', values: [{ zone: 'T1', value: '120.5' }] }],
      {},
    ],
    [
      'every zone of a two-zone meter',
      { 's-1': 'E-1', 'v-1-T1': '4600,', 'v-1-T2': '1900.2' },
      [
        {
          meterSerial: 'E-1',
          values: [
            { zone: 'T1', value: '4600' },
            { zone: 'T2', value: '1900.2' },
          ],
        },
      ],
      {},
    ],
    [
      'a zone left empty',
      { 's-1': 'E-1', 'v-1-T1': '4600' },
      [],
      {
        'v-1-T2':
          'Введите показание и этой зоны: показания передаются сразу по всем зонам счётчика.',
      },
    ],
    [
      'nothing typed',
      { 's-0': 'C-1', 'v-0-T1': '' },
      [],
      { '': 'Введите показания хотя бы одного счётчика.' },
    ],
    [
      'a value longer than what is shown again: checked whole, not cut to a valid one',
      { 's-0': 'C-1', 'v-0-T1': `${'0'.repeat(40)}123` },
      [],
      {
        'v-0-T1':
          'Слишком много цифр до запятой: у этого счётчика их не больше 5. Ведущие нули можно не вводить.',
      },
    ],
    [
      'text after the 40th character',
      { 's-0': 'C-1', 'v-0-T1': `${'0'.repeat(38)}12x` },
      [],
      { 'v-0-T1': 'Введите число: только цифры и, если нужно, запятая перед дробной частью.' },
    ],
    [
      'a zone sent twice, next to a meter filled in properly',
      { 's-0': 'C-1', 'v-0-T1': ['130', '131'], 's-1': 'E-1', 'v-1-T1': '4600', 'v-1-T2': '1900' },
      [],
      { 'v-0-T1': 'Показание этой зоны пришло несколько раз. Введите его заново.' },
    ],
    [
      'a zone sent as an object',
      { 's-1': 'E-1', 'v-1-T1': { a: '4600' }, 'v-1-T2': '1900' },
      [],
      { 'v-1-T1': 'Показание этой зоны пришло несколько раз. Введите его заново.' },
    ],
    [
      'a serial sent twice',
      { 's-0': ['C-1', 'C-1'], 'v-0-T1': '130', 's-1': 'E-1', 'v-1-T1': '4600', 'v-1-T2': '1900' },
      [],
      {
        '': 'Счётчик C-1 указан в форме несколько раз. Обновите страницу и введите показания заново.',
      },
    ],
    [
      'one meter named by two rows, each with a value',
      {
        's-0': 'E-1',
        'v-0-T1': '4600',
        'v-0-T2': '1800',
        's-1': 'E-1',
        'v-1-T1': '4700',
        'v-1-T2': '1900',
      },
      [],
      {
        '': 'Счётчик E-1 указан в форме несколько раз. Обновите страницу и введите показания заново.',
      },
    ],
    [
      'one meter named by two rows, one of them empty',
      { 's-0': 'C-1', 'v-0-T1': '130', 's-1': 'C-1', 'v-1-T1': '' },
      [],
      {
        '': 'Счётчик C-1 указан в форме несколько раз. Обновите страницу и введите показания заново.',
      },
    ],
    [
      'a meter that takes no readings, or another serial',
      { 's-0': 'H-1', 'v-0-T1': '5' },
      [],
      { '': 'Список счётчиков изменился. Обновите страницу и введите показания заново.' },
    ],
    [
      'a row past the meters the account has now, next to a meter filled in properly',
      { 's-0': 'C-1', 'v-0-T1': '130', 's-3': 'W-1', 'v-3-T1': '5' },
      [],
      { '': 'Список счётчиков изменился. Обновите страницу и введите показания заново.' },
    ],
    [
      'a value of a zone the meter no longer has (the page was shown before the registry changed)',
      { 's-0': 'C-1', 'v-0-T1': '130', 'v-0-T2': '45' },
      [],
      { '': 'Список счётчиков изменился. Обновите страницу и введите показания заново.' },
    ],
    [
      'a value of a row that names no meter',
      { 's-0': 'C-1', 'v-0-T1': '130', 'v-1-T1': '4600', 'v-1-T2': '1900' },
      [],
      { '': 'Список счётчиков изменился. Обновите страницу и введите показания заново.' },
    ],
    [
      'an empty input of a zone the meter no longer has, which loses nothing',
      { 's-0': 'C-1', 'v-0-T1': '130', 'v-0-T2': '' },
      [{ meterSerial: 'C-1', values: [{ zone: 'T1', value: '130' }] }],
      {},
    ],
  ])('%s', (_name, form, readings, errors) => {
    const parsed = readingForm(form, meters);
    expect(parsed.readings).toEqual(readings);
    expect(parsed.errors).toEqual(errors);
  });

  it('keeps what was typed to show it again', () => {
    expect(readingForm({ 's-0': 'C-1', 'v-0-T1': '12а' }, meters).typed).toEqual({
      'v-0-T1': '12а',
    });
  });

  it.each([
    ['absent', {}, null],
    ['one printable key', { _key: 'k-0123456789' }, 'k-0123456789'],
  ])('reads the form key when %s', (_name, key, expected) => {
    const parsed = readingForm({ 's-0': 'C-1', 'v-0-T1': '130', ...key }, meters);
    expect(parsed.errors).toEqual({});
    expect(parsed.idempotencyKey).toBe(expected);
  });

  it.each([
    ['sent twice', ['k-1', 'k-2']],
    ['empty', ''],
    ['with a space', 'k 1'],
    ['longer than 64 characters', 'k'.repeat(65)],
  ])(
    'refuses a form whose key is %s, rather than lose its protection against a repeat',
    (_name, key) => {
      const parsed = readingForm({ 's-0': 'C-1', 'v-0-T1': '130', _key: key }, meters);
      expect(parsed.readings).toEqual([]);
      expect(parsed.errors).toEqual({
        '': 'Форма повреждена. Обновите страницу и введите показания заново.',
      });
    },
  );

  it('shows at most 40 characters of a long value again', () => {
    const value = `${'0'.repeat(40)}123`;
    expect(readingForm({ 's-0': 'C-1', 'v-0-T1': value }, meters).typed).toEqual({
      'v-0-T1': value.slice(0, 40),
    });
  });
});
