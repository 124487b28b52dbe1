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
    ['12а', 'Введите число'],
    ['1 234', 'Введите число'],
    ['-1', 'Введите число'],
    [',5', 'Введите число'],
    ['1,2,3', 'Введите число'],
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
      'a meter that takes no readings, or another serial',
      { 's-0': 'H-1', 'v-0-T1': '5' },
      [],
      { '': 'Список счётчиков изменился. Обновите страницу и введите показания заново.' },
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
});
