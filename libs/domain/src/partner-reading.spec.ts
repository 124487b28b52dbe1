import { submissionId, validateSubmission } from '@gw/contracts';
import { toMoscowIso } from './moscow-time';
import {
  PARTNER_SOURCE_ID,
  parsePartnerDate,
  parsePartnerDecimal,
  parsePartnerMessage,
  partnerReadAt,
  toPartnerSubmission,
  validatePartnerMessage,
} from './partner-reading';

/** The example of contract section 7.5. */
function partnerMessage(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    msgId: 'MES-2026-11-20-000123',
    lsMes: '1234567890',
    counterNo: '011234567',
    t1: '12345,6',
    t2: '4567,8',
    t3: null,
    readDate: '20.11.2026',
    src: 'LK_MES',
    ...overrides,
  };
}

describe('parsePartnerDate', () => {
  it.each([
    ['20.11.2026', '2026-11-20'],
    ['01.01.2026', '2026-01-01'],
    ['31.12.2026', '2026-12-31'],
    ['29.02.2028', '2028-02-29'],
    ['30.04.2026', '2026-04-30'],
  ])('%s -> %s', (text, iso) => {
    expect(parsePartnerDate(text)).toBe(iso);
  });

  it.each([
    ['29 February of a common year', '29.02.2026'],
    ['31 April', '31.04.2026'],
    ['day zero', '00.11.2026'],
    ['month zero', '20.00.2026'],
    ['month 13', '20.13.2026'],
    ['year 0000', '05.12.0000'],
    ['year 1999', '31.12.1999'],
    ['year 2100', '01.01.2100'],
    ['year 9999', '31.12.9999'],
    ['ISO form', '2026-11-20'],
    ['slashes', '20/11/2026'],
    ['one-digit day', '1.11.2026'],
    ['two-digit year', '20.11.26'],
    ['with a time', '20.11.2026 10:00'],
    ['leading space', ' 20.11.2026'],
    ['trailing space', '20.11.2026 '],
    ['empty', ''],
    ['MM.DD.YYYY', '11.20.2026'],
  ])('rejects %s (%p)', (_name, text) => {
    expect(parsePartnerDate(text)).toBeNull();
  });
});

describe('parsePartnerDecimal', () => {
  it.each([
    ['12345,6', '12345.6'],
    ['4601,2', '4601.2'],
    ['140,55', '140.55'],
    ['004601,20', '004601.20'],
    ['0', '0'],
    ['0,0', '0.0'],
    ['12345', '12345'],
    ['12345.6', '12345.6'],
    ['1'.repeat(32), '1'.repeat(32)],
  ])('%s -> %s', (text, value) => {
    expect(parsePartnerDecimal(text)).toBe(value);
  });

  it.each([
    ['empty', ''],
    ['comma only', ','],
    ['no integer part', ',5'],
    ['no fraction after the comma', '5,'],
    ['two commas', '1,2,3'],
    ['a dot and a comma', '1.234,5'],
    ['negative', '-1,0'],
    ['explicit plus', '+1,0'],
    ['thousands space', '1 234,5'],
    ['leading space', ' 1,0'],
    ['trailing space', '1,0 '],
    ['exponent', '1e3'],
    ['letters', '12a'],
    ['NaN', 'NaN'],
    ['fullwidth digits', '１２'],
    ['33 characters', '1'.repeat(33)],
  ])('rejects %s (%p)', (_name, text) => {
    expect(parsePartnerDecimal(text)).toBeNull();
  });
});

describe('validatePartnerMessage: valid messages', () => {
  it('reads the contract example', () => {
    expect(validatePartnerMessage(partnerMessage())).toEqual({
      ok: true,
      value: {
        msgId: 'MES-2026-11-20-000123',
        partnerAccount: '1234567890',
        partnerMeter: '011234567',
        values: [
          { zone: 'T1', value: '12345.6' },
          { zone: 'T2', value: '4567.8' },
        ],
        readOn: '2026-11-20',
      },
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'three zones',
      { t1: '140,55', t2: '52,10', t3: '83,00' },
      {
        values: [
          { zone: 'T1', value: '140.55' },
          { zone: 'T2', value: '52.10' },
          { zone: 'T3', value: '83.00' },
        ],
      },
    ],
    ['a single zone', { t2: null }, { values: [{ zone: 'T1', value: '12345.6' }] }],
    [
      'zones left out instead of null',
      { t2: undefined, t3: undefined },
      { values: [{ zone: 'T1', value: '12345.6' }] },
    ],
    [
      'only T2 (the zones are the processor’s to judge)',
      { t1: null },
      { values: [{ zone: 'T2', value: '4567.8' }] },
    ],
    ['a whole number', { t1: '12345', t2: null }, { values: [{ zone: 'T1', value: '12345' }] }],
    [
      'a dot instead of a comma',
      { t1: '1,5', t2: '2.5' },
      {
        values: [
          { zone: 'T1', value: '1.5' },
          { zone: 'T2', value: '2.5' },
        ],
      },
    ],
    ['src null', { src: null }, { msgId: 'MES-2026-11-20-000123' }],
    ['src left out', { src: undefined }, { msgId: 'MES-2026-11-20-000123' }],
    ['fields added by a later version', { comment: 'x', version: 2 }, { readOn: '2026-11-20' }],
    ['a leap day', { readDate: '29.02.2028' }, { readOn: '2028-02-29' }],
    ['a msgId of 256 characters', { msgId: 'M'.repeat(256) }, { msgId: 'M'.repeat(256) }],
    ['a msgId of 256 emoji', { msgId: '😀'.repeat(256) }, { msgId: '😀'.repeat(256) }],
    ['a msgId with inner spaces', { msgId: 'batch 7 / 12' }, { msgId: 'batch 7 / 12' }],
  ])('%s', (_name, overrides, expected) => {
    expect(validatePartnerMessage(partnerMessage(overrides))).toEqual({
      ok: true,
      value: expect.objectContaining(expected),
    });
  });
});

describe('validatePartnerMessage: malformed messages name the field', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'not a JSON object'],
    ['an array', [partnerMessage()], 'not a JSON object'],
    ['a string', 'MES-1', 'not a JSON object'],
    ['a number', 42, 'not a JSON object'],
    ['msgId missing', partnerMessage({ msgId: undefined }), 'msgId'],
    ['msgId empty', partnerMessage({ msgId: '' }), 'msgId'],
    ['msgId a number', partnerMessage({ msgId: 123 }), 'msgId'],
    ['msgId of 257 characters', partnerMessage({ msgId: 'M'.repeat(257) }), 'msgId'],
    ['msgId of 257 emoji', partnerMessage({ msgId: '😀'.repeat(257) }), 'msgId'],
    ['msgId with a trailing space', partnerMessage({ msgId: 'MES-1 ' }), 'msgId'],
    ['msgId with a newline', partnerMessage({ msgId: 'MES\n1' }), 'msgId'],
    ['msgId with a lone surrogate', partnerMessage({ msgId: 'MES-\ud800' }), 'msgId'],
    ['lsMes missing', partnerMessage({ lsMes: undefined }), 'lsMes'],
    ['lsMes a number (leading zeros lost)', partnerMessage({ lsMes: 1234567890 }), 'lsMes'],
    ['lsMes empty', partnerMessage({ lsMes: '' }), 'lsMes'],
    ['lsMes with a space', partnerMessage({ lsMes: '1234 567890' }), 'lsMes'],
    ['lsMes of 33 characters', partnerMessage({ lsMes: '1'.repeat(33) }), 'lsMes'],
    ['counterNo missing', partnerMessage({ counterNo: undefined }), 'counterNo'],
    ['counterNo a number', partnerMessage({ counterNo: 11234567 }), 'counterNo'],
    ['counterNo in Cyrillic', partnerMessage({ counterNo: 'СЧ-1' }), 'counterNo'],
    ['t1 a number', partnerMessage({ t1: 12345.6 }), 't1'],
    ['t1 empty', partnerMessage({ t1: '' }), 't1'],
    ['t1 negative', partnerMessage({ t1: '-1,0' }), 't1'],
    ['t1 with a thousands space', partnerMessage({ t1: '12 345,6' }), 't1'],
    ['t2 with two commas', partnerMessage({ t2: '4,567,8' }), 't2'],
    ['t3 text', partnerMessage({ t3: 'n/a' }), 't3'],
    ['t3 false', partnerMessage({ t3: false }), 't3'],
    [
      'no values at all',
      partnerMessage({ t1: null, t2: null, t3: null }),
      'at least one of t1, t2, t3',
    ],
    ['readDate missing', partnerMessage({ readDate: undefined }), 'readDate'],
    ['readDate in ISO form', partnerMessage({ readDate: '2026-11-20' }), 'readDate'],
    ['readDate impossible', partnerMessage({ readDate: '31.11.2026' }), 'readDate'],
    ['readDate a number', partnerMessage({ readDate: 20112026 }), 'readDate'],
    ['src a number', partnerMessage({ src: 7 }), 'src'],
  ])('%s', (_name, input, field) => {
    const result = validatePartnerMessage(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.startsWith(field)).toBe(true);
  });
});

describe('parsePartnerMessage', () => {
  const bytes = (text: string) => Buffer.from(text);

  it('parses UTF-8 JSON', () => {
    expect(parsePartnerMessage(bytes(JSON.stringify(partnerMessage())))).toMatchObject({
      ok: true,
      value: { msgId: 'MES-2026-11-20-000123' },
    });
  });

  it.each<[string, Buffer | null, string]>([
    ['no value (a tombstone)', null, 'empty message value'],
    ['an empty value', bytes(''), 'empty message value'],
    ['text that is not JSON', bytes('MES;1234567890;011234567'), 'value is not valid JSON'],
    ['truncated JSON', bytes('{"msgId":"MES-1"'), 'value is not valid JSON'],
    ['JSON null', bytes('null'), 'not a JSON object'],
    [
      // JSON.parse keeps the last: the partner's first T1 would be stored without a word.
      'a register given twice',
      bytes(JSON.stringify(partnerMessage()).replace('"t1":', '"t1":"0001,0","t1":')),
      '"t1" is given twice in one object',
    ],
    [
      // Read as UTF-8 with U+FFFD, "Б" and "В" in Windows-1251 would make one msgId of two.
      'a msgId in Windows-1251',
      Buffer.concat([bytes('{"msgId":"MES-'), Buffer.from([0xc1]), bytes('"}')]),
      'value is not UTF-8',
    ],
  ])('reports %s', (_name, value, error) => {
    expect(parsePartnerMessage(value)).toEqual({ ok: false, error });
  });
});

describe('partnerReadAt', () => {
  it.each([
    [
      'an earlier day: noon',
      '2026-11-20',
      '2026-11-21T09:00:00+03:00',
      '2026-11-20T12:00:00.000+03:00',
    ],
    [
      'the same day, afternoon: noon',
      '2026-11-20',
      '2026-11-20T15:30:00+03:00',
      '2026-11-20T12:00:00.000+03:00',
    ],
    [
      'the same day at noon: noon',
      '2026-11-20',
      '2026-11-20T12:00:00+03:00',
      '2026-11-20T12:00:00.000+03:00',
    ],
    [
      'the same day, morning: when received',
      '2026-11-20',
      '2026-11-20T09:30:15.123+03:00',
      '2026-11-20T09:30:15.123+03:00',
    ],
    [
      'just after Moscow midnight (still the previous day in UTC)',
      '2026-11-20',
      '2026-11-19T21:10:00Z',
      '2026-11-20T00:10:00.000+03:00',
    ],
    [
      'late on the previous Moscow day',
      '2026-11-20',
      '2026-11-20T20:59:00Z',
      '2026-11-20T12:00:00.000+03:00',
    ],
    [
      'a later day (the processor judges the future)',
      '2026-11-21',
      '2026-11-20T10:00:00+03:00',
      '2026-11-21T12:00:00.000+03:00',
    ],
    [
      'across a year end',
      '2026-12-31',
      '2027-01-02T08:00:00+03:00',
      '2026-12-31T12:00:00.000+03:00',
    ],
    ['a leap day', '2028-02-29', '2028-03-01T08:00:00+03:00', '2028-02-29T12:00:00.000+03:00'],
  ])('%s', (_name, readOn, receivedAt, expected) => {
    expect(toMoscowIso(partnerReadAt(readOn, new Date(receivedAt)))).toBe(expected);
  });
});

describe('toPartnerSubmission', () => {
  const received = new Date('2026-11-21T09:00:05.311+03:00');
  const mapping = { accountNumber: '5001234567', serial: 'E-0077123' };
  const reading = (overrides: Record<string, unknown> = {}) => {
    const parsed = validatePartnerMessage(partnerMessage(overrides));
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.value;
  };

  it('builds the canonical submission of the contract example', () => {
    const message = toPartnerSubmission(reading(), mapping, received);
    expect(message).toEqual({
      schema: 'meter-reading-submitted/1',
      submissionId: submissionId({
        channel: 'mosenergosbyt',
        sourceId: PARTNER_SOURCE_ID,
        sourceRef: 'MES-2026-11-20-000123',
        meterSerial: 'E-0077123',
      }),
      channel: 'mosenergosbyt',
      source: { id: 'mosenergosbyt', ref: 'MES-2026-11-20-000123' },
      accountNumber: '5001234567',
      meterSerial: 'E-0077123',
      values: [
        { zone: 'T1', value: '12345.6' },
        { zone: 'T2', value: '4567.8' },
      ],
      readAt: '2026-11-20T12:00:00.000+03:00',
      receivedAt: '2026-11-21T09:00:05.311+03:00',
      confidence: null,
    });
    expect(validateSubmission(message)).toEqual({ ok: true, value: message });
  });

  it.each<[string, Record<string, unknown>, Date, boolean]>([
    ['the same message redelivered later', {}, new Date('2026-11-25T10:00:00+03:00'), true],
    ['the same msgId with other values', { t1: '12346,0' }, received, true],
    ['another msgId', { msgId: 'MES-2026-11-20-000124' }, received, false],
  ])('%s: same submission id = %p', (_name, overrides, at, same) => {
    const first = toPartnerSubmission(reading(), mapping, received);
    const second = toPartnerSubmission(reading(overrides), mapping, at);
    expect(first.submissionId === second.submissionId).toBe(same);
  });

  it('gives another meter another submission id for the same msgId', () => {
    const a = toPartnerSubmission(reading(), mapping, received);
    const b = toPartnerSubmission(reading(), { ...mapping, serial: 'E-1130045' }, received);
    expect(a.submissionId).not.toBe(b.submissionId);
  });

  it('carries only the zones the partner gave', () => {
    const message = toPartnerSubmission(
      reading({ t1: null, t2: null, t3: '83,00' }),
      mapping,
      received,
    );
    expect(message.values).toEqual([{ zone: 'T3', value: '83.00' }]);
  });
});
