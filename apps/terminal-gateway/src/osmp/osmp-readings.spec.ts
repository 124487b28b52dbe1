import { OsmpError } from './osmp-errors';
import {
  checkReadingsFitMeters,
  type MeterReadingParams,
  parseReadings,
  readingValue,
} from './osmp-readings';

function outcome<T>(parse: () => T): T | { code: string; comment: string } {
  try {
    return parse();
  } catch (error) {
    if (error instanceof OsmpError) return { code: error.code, comment: error.message };
    throw error;
  }
}

const refused = (comment: string) => ({ code: 'READING_REFUSED', comment });

describe('readingValue', () => {
  it.each([
    ['01234.567', '01234.567'],
    ['01234,567', '01234.567'],
    ['0', '0'],
    ['123', '123'],
    [' 12,5 ', '12.5'],
    ['1,2,3', null],
    ['1.2.3', null],
    ['1,', null],
    [',5', null],
    ['-1', null],
    ['1e3', null],
    ['12 345', null],
    ['１２', null],
    ['1'.repeat(32), '1'.repeat(32)],
    ['1'.repeat(33), null],
  ])('%j -> %j', (text, expected) => {
    expect(readingValue(text)).toBe(expected);
  });
});

describe('parseReadings', () => {
  it.each<
    [string, Record<string, string>, MeterReadingParams[] | ReturnType<typeof refused> | object]
  >([
    [
      'one water meter',
      { meter1: '19-123456', t1_1: '00123,456' },
      [{ index: 1, serial: '19-123456', values: [{ zone: 'T1', value: '00123.456' }] }],
    ],
    [
      'a two-zone meter and a water meter, in index order',
      { meter2: '19-1', t1_2: '5', meter1: 'E-7', t1_1: '4512.3', t2_1: '1877,0' },
      [
        {
          index: 1,
          serial: 'E-7',
          values: [
            { zone: 'T1', value: '4512.3' },
            { zone: 'T2', value: '1877.0' },
          ],
        },
        { index: 2, serial: '19-1', values: [{ zone: 'T1', value: '5' }] },
      ],
    ],
    [
      'empty parameters count as absent',
      { meter1: 'W-1', t1_1: '1', t2_1: '', t3_1: ' ', meter2: '', t1_2: '' },
      [{ index: 1, serial: 'W-1', values: [{ zone: 'T1', value: '1' }] }],
    ],
    [
      'other parameters are ignored',
      { command: 'pay', meter1: 'W-1', t1_1: '1', meter_note: 'x', t4_1: '9' },
      [{ index: 1, serial: 'W-1', values: [{ zone: 'T1', value: '1' }] }],
    ],
    [
      'a value that is not a decimal',
      { meter1: 'W-1', t1_1: '12a' },
      refused('t1_1 "12a" is not a non-negative decimal'),
    ],
    [
      'a negative value',
      { meter1: 'W-1', t1_1: '-3' },
      refused('t1_1 "-3" is not a non-negative decimal'),
    ],
    [
      'a bad second zone',
      { meter1: 'E-1', t1_1: '1', t2_1: '1,2,3' },
      refused('t2_1 "1,2,3" is not a non-negative decimal'),
    ],
    [
      'values without their meter',
      { t1_3: '5' },
      refused('meter3 is required with t1_3, t2_3, t3_3'),
    ],
    ['a meter without values', { meter1: 'W-1' }, refused('meter1 "W-1" has no value: give t1_1')],
    [
      'a serial with a control character',
      { meter1: 'W\u00011', t1_1: '1' },
      refused('meter1 "W\u00011" must be 1 to 32 printable characters'),
    ],
    [
      'a serial of 33 characters',
      { meter1: 'S'.repeat(33), t1_1: '1' },
      refused(`meter1 "${'S'.repeat(33)}" must be 1 to 32 printable characters`),
    ],
    [
      'the same meter twice',
      { meter1: 'W-1', t1_1: '1', meter2: 'W-1', t1_2: '2' },
      refused('meter2 repeats meter1 "W-1"'),
    ],
    ['index 0', { meter0: 'W-1', t1_0: '1' }, refused('parameter "meter0": N must be 1 to 20')],
    [
      'index with a leading zero',
      { meter01: 'W-1' },
      refused('parameter "meter01": N must be 1 to 20'),
    ],
    [
      'index 20, the last there is',
      { meter20: 'W-1', t1_20: '1' },
      [{ index: 20, serial: 'W-1', values: [{ zone: 'T1', value: '1' }] }],
    ],
    ['index 21', { meter21: 'W-1', t1_21: '1' }, refused('parameter "meter21": N must be 1 to 20')],
    [
      'a meter named in upper case beside a correct one',
      { meter1: 'W-1', t1_1: '1', Meter2: 'E-1', t1_2: '5' },
      {
        code: 'BAD_REQUEST',
        comment: 'parameter "Meter2": reading parameters are written in lower case (meter2)',
      },
    ],
    [
      'a value named in upper case',
      { meter1: 'E-1', t1_1: '1', T2_1: '5' },
      {
        code: 'BAD_REQUEST',
        comment: 'parameter "T2_1": reading parameters are written in lower case (t2_1)',
      },
    ],
    [
      'an empty parameter in upper case, absent as any empty one',
      { meter1: 'W-1', t1_1: '1', T2_1: '' },
      [{ index: 1, serial: 'W-1', values: [{ zone: 'T1', value: '1' }] }],
    ],
    [
      'no readings at all',
      { command: 'pay' },
      { code: 'BAD_REQUEST', comment: 'no readings: give meter1 with t1_1 (and t2_1, t3_1)' },
    ],
  ])('%s', (_name, params, expected) => {
    expect(outcome(() => parseReadings(params))).toEqual(expected);
  });
});

describe('checkReadingsFitMeters', () => {
  const meters = [
    { serial: 'W-1', zones: 1 },
    { serial: 'E-2', zones: 2 },
    { serial: 'E-3', zones: 3 },
  ];
  const reading = (index: number, serial: string, zones: string[]): MeterReadingParams => ({
    index,
    serial,
    values: zones.map((zone) => ({ zone: zone as 'T1', value: '1' })),
  });

  it.each([
    ['a water meter with T1', [reading(1, 'W-1', ['T1'])], undefined],
    ['a two-zone meter with T1 and T2', [reading(1, 'E-2', ['T1', 'T2'])], undefined],
    ['a three-zone meter with all zones', [reading(4, 'E-3', ['T1', 'T2', 'T3'])], undefined],
    [
      'a meter of another account',
      [reading(1, 'X-9', ['T1'])],
      refused('meter1 "X-9" is not a meter of this account'),
    ],
    [
      'a two-zone meter with T1 only',
      [reading(2, 'E-2', ['T1'])],
      refused('meter2 "E-2" has 2 tariff zone(s): give t1_2, t2_2'),
    ],
    [
      'a water meter with T2 too',
      [reading(1, 'W-1', ['T1', 'T2'])],
      refused('meter1 "W-1" has 1 tariff zone(s): give t1_1'),
    ],
    [
      'a three-zone meter without T2',
      [reading(3, 'E-3', ['T1', 'T3'])],
      refused('meter3 "E-3" has 3 tariff zone(s): give t1_3, t2_3, t3_3'),
    ],
  ])('%s', (_name, readings, expected) => {
    expect(outcome(() => checkReadingsFitMeters(readings, meters))).toEqual(expected);
  });
});
