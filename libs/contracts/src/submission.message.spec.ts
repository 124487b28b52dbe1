import {
  decodeSubmission,
  isTimestamp,
  normaliseTimestamp,
  readTimestamp,
  SUBMISSION_SCHEMA,
  type SubmissionMessage,
  validateSubmission,
} from './submission.message';

/** The example of contract section 2, as a plain object. */
function submission(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema: 'meter-reading-submitted/1',
    submissionId: '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
    channel: 'kiosk',
    source: { id: 'K-0042', ref: 'batch-77/3' },
    accountNumber: '5001234567',
    meterSerial: '19-123456',
    values: [{ zone: 'T1', value: '01234.567' }],
    readAt: '2026-11-20T10:15:00+03:00',
    receivedAt: '2026-11-20T10:15:02.311+03:00',
    confidence: null,
    ...overrides,
  };
}

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

function without(field: string): Record<string, unknown> {
  const message = submission();
  delete message[field];
  return message;
}

describe('validateSubmission: valid messages', () => {
  it('accepts the contract example unchanged', () => {
    expect(validateSubmission(submission())).toEqual({ ok: true, value: submission() });
  });

  it.each(['cabinet', 'payment-terminal', 'kiosk', 'paper-slip', 'mosenergosbyt'])(
    'accepts channel %p',
    (channel) => {
      expect(validateSubmission(submission({ channel })).ok).toBe(true);
    },
  );

  it.each([0, 0.5, 0.9, 1, null])('accepts confidence %p', (confidence) => {
    const result = validateSubmission(submission({ channel: 'paper-slip', confidence }));
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ confidence }) });
  });

  it('reads a missing confidence as null', () => {
    const result = validateSubmission(without('confidence'));
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ confidence: null }) });
  });

  it('lower-cases the submission id', () => {
    const result = validateSubmission(
      submission({ submissionId: '0B5C4F7E-2A1D-5C1E-9F5A-0D8A2B8E6C11' }),
    );
    expect(result.ok && result.value.submissionId).toBe('0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11');
  });

  it.each([
    ['lower-case t and z', '2026-11-20t10:15:00z', '2026-11-20T10:15:00Z'],
    [
      'a fraction past nine digits',
      '2026-11-20T10:15:02.3110000001+03:00',
      '2026-11-20T10:15:02.311000000+03:00',
    ],
  ])('accepts timestamps RFC 3339 allows, %s, in the form it decodes', (_name, sent, read) => {
    const result = validateSubmission(submission({ readAt: sent, receivedAt: sent }));
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ readAt: read, receivedAt: read }),
    });
  });

  it('drops unknown fields at every level', () => {
    const result = validateSubmission(
      submission({
        extra: 1,
        source: { id: 'K-0042', ref: 'batch-77/3', secret: 'x' },
        values: [{ zone: 'T1', value: '1', note: 'y' }],
      }),
    );
    expect(result.ok).toBe(true);
    const value = (result as { value: SubmissionMessage }).value;
    expect(Object.keys(value).sort()).toEqual(Object.keys(submission()).sort());
    expect(value.source).toEqual({ id: 'K-0042', ref: 'batch-77/3' });
    expect(value.values).toEqual([{ zone: 'T1', value: '1' }]);
  });

  it.each([
    ['zones the meter may lack', [{ zone: 'T4', value: '1' }]],
    ['values the register may reject', [{ zone: 'T1', value: '12,5' }]],
    [
      'three zones',
      [
        { zone: 'T1', value: '1' },
        { zone: 'T2', value: '2' },
        { zone: 'T3', value: '3' },
      ],
    ],
  ])('leaves %s to the processor', (_name, values) => {
    expect(validateSubmission(submission({ values }))).toEqual({
      ok: true,
      value: submission({ values }),
    });
  });

  // Contract section 2: each text at the longest it may be.
  it.each<[string, Record<string, unknown>]>([
    ['a source id of 128 characters', { source: { id: 'K'.repeat(128), ref: 'b/1' } }],
    ['a source ref of 256 characters', { source: { id: 'K', ref: 'b'.repeat(256) } }],
    ['an account number of 64 characters', { accountNumber: '5'.repeat(64) }],
    ['a meter serial of 64 characters', { meterSerial: 'S'.repeat(64) }],
    ['a zone of 8 characters', { values: [{ zone: 'T'.repeat(8), value: '1' }] }],
    ['a value of 64 characters', { values: [{ zone: 'T1', value: '1'.repeat(64) }] }],
  ])('accepts %s', (_name, overrides) => {
    expect(validateSubmission(submission(overrides))).toEqual({
      ok: true,
      value: submission(overrides),
    });
  });

  it.each([
    '2026-11-20T10:15:00Z',
    '2026-11-20T07:15:00.123456789Z',
    '2026-11-20T10:15:00-05:00',
    '2028-02-29T10:15:00+03:00',
  ])('accepts timestamp %p', (readAt) => {
    expect(validateSubmission(submission({ readAt })).ok).toBe(true);
  });
});

describe('validateSubmission: each invalid field is named', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['schema missing', without('schema'), 'schema'],
    ['schema of another version', submission({ schema: 'meter-reading-submitted/2' }), 'schema'],
    ['submissionId missing', without('submissionId'), 'submissionId'],
    ['submissionId not a UUID', submission({ submissionId: 'not-a-uuid' }), 'submissionId'],
    [
      'submissionId without dashes',
      submission({ submissionId: '0b5c4f7e2a1d5c1e9f5a0d8a2b8e6c11' }),
      'submissionId',
    ],
    ['submissionId a number', submission({ submissionId: 42 }), 'submissionId'],
    ['channel missing', without('channel'), 'channel'],
    ['channel unknown', submission({ channel: 'email' }), 'channel'],
    ['channel in another case', submission({ channel: 'Kiosk' }), 'channel'],
    ['source missing', without('source'), 'source'],
    ['source null', submission({ source: null }), 'source'],
    ['source a string', submission({ source: 'K-0042' }), 'source'],
    ['source without id', submission({ source: { ref: 'batch-77/3' } }), 'source'],
    ['source with empty ref', submission({ source: { id: 'K-0042', ref: '' } }), 'source'],
    ['source id a number', submission({ source: { id: 42, ref: 'r' } }), 'source'],
    ['source id too long', submission({ source: { id: 'x'.repeat(129), ref: 'r' } }), 'source'],
    ['source ref too long', submission({ source: { id: 'K', ref: 'r'.repeat(257) } }), 'source'],
    ['accountNumber missing', without('accountNumber'), 'accountNumber'],
    ['accountNumber empty', submission({ accountNumber: '' }), 'accountNumber'],
    ['accountNumber a number', submission({ accountNumber: 5001234567 }), 'accountNumber'],
    ['meterSerial missing', without('meterSerial'), 'meterSerial'],
    ['meterSerial empty', submission({ meterSerial: '' }), 'meterSerial'],
    ['meterSerial too long', submission({ meterSerial: 'S'.repeat(65) }), 'meterSerial'],
    ['values missing', without('values'), 'values'],
    ['values not an array', submission({ values: { zone: 'T1', value: '1' } }), 'values'],
    ['values empty', submission({ values: [] }), 'values'],
    [
      'four values',
      submission({ values: ['T1', 'T2', 'T3', 'T4'].map((zone) => ({ zone, value: '1' })) }),
      'values',
    ],
    ['a value entry null', submission({ values: [null] }), 'values[0]'],
    ['a value without zone', submission({ values: [{ value: '1' }] }), 'values[0]'],
    ['a value with an empty zone', submission({ values: [{ zone: '', value: '1' }] }), 'values[0]'],
    ['a value as a number', submission({ values: [{ zone: 'T1', value: 1234.567 }] }), 'values[0]'],
    [
      'the second value broken',
      submission({ values: [{ zone: 'T1', value: '1' }, { zone: 'T2' }] }),
      'values[1]',
    ],
    [
      'a value too long',
      submission({ values: [{ zone: 'T1', value: '1'.repeat(65) }] }),
      'values[0]',
    ],
    ['readAt missing', without('readAt'), 'readAt'],
    ['readAt without offset', submission({ readAt: '2026-11-20T10:15:00' }), 'readAt'],
    ['readAt a date only', submission({ readAt: '2026-11-20' }), 'readAt'],
    ['readAt with a space', submission({ readAt: '2026-11-20 10:15:00+03:00' }), 'readAt'],
    ['readAt garbage', submission({ readAt: 'yesterday' }), 'readAt'],
    ['readAt epoch number', submission({ readAt: 1795169700 }), 'readAt'],
    ['readAt on 30 February', submission({ readAt: '2026-02-30T10:15:00+03:00' }), 'readAt'],
    [
      'readAt on 29 February of a common year',
      submission({ readAt: '2026-02-29T10:15:00+03:00' }),
      'readAt',
    ],
    ['readAt in month 13', submission({ readAt: '2026-13-01T10:15:00+03:00' }), 'readAt'],
    ['readAt at 24:00', submission({ readAt: '2026-11-20T24:00:00+03:00' }), 'readAt'],
    ['readAt at minute 60', submission({ readAt: '2026-11-20T10:60:00+03:00' }), 'readAt'],
    ['readAt with offset +25:00', submission({ readAt: '2026-11-20T10:15:00+25:00' }), 'readAt'],
    ['readAt with offset +14:01', submission({ readAt: '2026-11-20T10:15:00+14:01' }), 'readAt'],
    ['readAt in year 0000', submission({ readAt: '0000-12-05T10:00:00+03:00' }), 'readAt'],
    ['readAt in year 1999', submission({ readAt: '1999-12-31T23:59:59+03:00' }), 'readAt'],
    ['readAt in year 9999', submission({ readAt: '9999-12-31T23:00:00-14:00' }), 'readAt'],
    ['receivedAt missing', without('receivedAt'), 'receivedAt'],
    [
      'receivedAt without offset',
      submission({ receivedAt: '2026-11-20T10:15:02.311' }),
      'receivedAt',
    ],
    [
      'receivedAt on 31 April',
      submission({ receivedAt: '2026-04-31T10:15:02+03:00' }),
      'receivedAt',
    ],
    ['receivedAt in year 2100', submission({ receivedAt: '2100-01-01T00:00:00Z' }), 'receivedAt'],
    [
      'accountNumber with U+0000',
      submission({ accountNumber: '500123\u00004567' }),
      'accountNumber',
    ],
    ['meterSerial with U+0000', submission({ meterSerial: '19-\u0000' }), 'meterSerial'],
    ['source ref with U+0000', submission({ source: { id: 'K', ref: '\u0000' } }), 'source'],
    [
      'source ref with a lone surrogate',
      submission({ source: { id: 'K', ref: 'b\ud800/1' } }),
      'source',
    ],
    [
      'source ref of 257 characters beyond the Basic Multilingual Plane',
      submission({ source: { id: 'K', ref: '😀'.repeat(257) } }),
      'source',
    ],
    ['a zone with U+0000', submission({ values: [{ zone: 'T1\u0000', value: '1' }] }), 'values[0]'],
    [
      'a value with U+0000',
      submission({ values: [{ zone: 'T1', value: '1\u0000' }] }),
      'values[0]',
    ],
    ['confidence below 0', submission({ confidence: -0.01 }), 'confidence'],
    ['confidence above 1', submission({ confidence: 1.01 }), 'confidence'],
    ['confidence as a string', submission({ confidence: '0.9' }), 'confidence'],
    ['confidence NaN', submission({ confidence: Number.NaN }), 'confidence'],
    ['confidence Infinity', submission({ confidence: Number.POSITIVE_INFINITY }), 'confidence'],
    ['confidence a boolean', submission({ confidence: true }), 'confidence'],
  ])('%s', (_name, message, field) => {
    const result = validateSubmission(message);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.startsWith(`${field} `)).toBe(true);
  });

  it.each([null, undefined, [], 'text', 42, true])('%p is not a JSON object', (input) => {
    expect(validateSubmission(input)).toEqual({ ok: false, error: 'not a JSON object' });
  });

  it('names the schema it expects', () => {
    expect(validateSubmission(without('schema'))).toEqual({
      ok: false,
      error: `schema must be "${SUBMISSION_SCHEMA}"`,
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a source id of 129 characters',
      submission({ source: { id: 'x'.repeat(129), ref: 'r' } }),
      'source must be an object with an id of 1 to 128 characters and a ref of 1 to 256, without U+0000 or a lone surrogate',
    ],
    [
      'an account number of 65 characters',
      submission({ accountNumber: '5'.repeat(65) }),
      'accountNumber must be a string of 1 to 64 characters, without U+0000 or a lone surrogate',
    ],
    [
      'a meter serial with U+0000',
      submission({ meterSerial: '19-\u0000' }),
      'meterSerial must be a string of 1 to 64 characters, without U+0000 or a lone surrogate',
    ],
    [
      'a value of 65 characters',
      submission({ values: [{ zone: 'T1', value: '1'.repeat(65) }] }),
      'values[0] must be { zone, value }: a zone of 1 to 8 characters and a value string of at most 64, without U+0000 or a lone surrogate',
    ],
  ])('names the limit %s breaks, not only the field', (_name, message, error) => {
    expect(validateSubmission(message)).toEqual({ ok: false, error });
  });
});

describe('isTimestamp', () => {
  it.each<[unknown, boolean]>([
    ['2026-11-20T10:15:00+03:00', true],
    ['2026-11-20T10:15:02.311+03:00', true],
    ['2026-12-31T23:59:59.999Z', true],
    ['2028-02-29T00:00:00Z', true],
    ['2026-11-20T10:15:00', false],
    ['2026-02-29T00:00:00Z', false],
    ['2026-11-31T00:00:00Z', false],
    ['2026-11-00T00:00:00Z', false],
    ['2026-00-10T00:00:00Z', false],
    ['2026-11-20T24:00:00Z', false],
    ['2026-11-20T23:59:60Z', false],
    ['2026-11-20T10:15:00.Z', false],
    ['2026-11-20T10:15:00.1234567890Z', false],
    ['2026-11-20T10:15:00.123456789-00:30', true],
    ['2026-13-01T00:00:00Z', false],
    ['2026-11-20T10:60:00Z', false],
    ['2026-11-20T10:15:00z', false],
    ['2026-11-20T10:15:00+0300', false],
    ['2026-11-20 10:15:00+03:00', false],
    [' 2026-11-20T10:15:00Z', false],
    ['', false],
    [null, false],
    [1795169700000, false],
  ])('%p -> %p', (value, valid) => {
    expect(isTimestamp(value)).toBe(valid);
  });

  it.each<[string, boolean]>([
    ['0000', false],
    ['0001', false],
    ['1999', false],
    ['2000', true],
    ['2026', true],
    ['2099', true],
    ['2100', false],
    ['9999', false],
  ])('year %s -> %p', (year, valid) => {
    expect(isTimestamp(`${year}-12-05T10:00:00+03:00`)).toBe(valid);
  });

  it.each<[string, boolean]>([
    ['Z', true],
    ['+00:00', true],
    ['-00:00', true],
    ['+03:00', true],
    ['+05:45', true],
    ['+14:00', true],
    ['-14:00', true],
    ['+13:59', true],
    ['+14:01', false],
    ['-14:01', false],
    ['+15:00', false],
    ['+23:59', false],
    ['-23:59', false],
    ['+03:60', false],
    ['+24:00', false],
  ])('offset %s -> %p', (offset, valid) => {
    expect(isTimestamp(`2026-12-05T10:00:00${offset}`)).toBe(valid);
  });

  it.each<[string, boolean]>([
    ['2000-02-29', true],
    ['2024-02-29', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2100-02-29', false],
    ['1900-02-29', false],
    ['2026-02-28', true],
    ['2026-04-31', false],
    ['2026-06-30', true],
    ['2026-01-32', false],
    ['2026-00-01', false],
    ['2026-13-01', false],
    ['2026-12-00', false],
  ])('date %s -> %p', (date, valid) => {
    expect(isTimestamp(`${date}T12:00:00+03:00`)).toBe(valid);
  });

  it('accepts both ends of the range at the extreme offsets', () => {
    expect(isTimestamp('2000-01-01T00:00:00+14:00')).toBe(true);
    expect(isTimestamp('2099-12-31T23:59:59.999-14:00')).toBe(true);
  });
});

describe('decodeSubmission', () => {
  it('decodes UTF-8 JSON bytes', () => {
    expect(decodeSubmission(bytes(submission()))).toEqual({ ok: true, value: submission() });
  });

  it('counts characters, not UTF-16 units: a kiosk batch id of 128 emoji makes a valid ref', () => {
    const message = submission({ source: { id: 'K-0042', ref: `${'😀'.repeat(128)}/1000` } });
    expect(decodeSubmission(bytes(message))).toEqual({ ok: true, value: message });
    // The longest ref there is: 256 characters, 512 UTF-16 units.
    const longest = submission({ source: { id: 'K-0042', ref: '😀'.repeat(256) } });
    expect(decodeSubmission(bytes(longest))).toEqual({ ok: true, value: longest });
  });

  it('refuses bytes that are not UTF-8 rather than reading them with U+FFFD', () => {
    // The ref "Б/1" with its letter in Windows-1251 (one byte, C1) instead of UTF-8 (D0 91).
    const utf8 = bytes(submission({ source: { id: 'K', ref: 'Б/1' } }));
    const at = utf8.indexOf(Buffer.from('Б'));
    const cp1251 = Buffer.concat([
      utf8.subarray(0, at),
      Buffer.from([0xc1]),
      utf8.subarray(at + 2),
    ]);
    expect(decodeSubmission(cp1251)).toEqual({ ok: false, error: 'value is not UTF-8' });
  });

  it('keeps non-ASCII text intact', () => {
    const message = submission({ source: { id: 'ЛК', ref: 'квитанция/1' }, meterSerial: 'ИПУ-1' });
    expect(decodeSubmission(bytes(message))).toEqual({ ok: true, value: message });
  });

  it.each<[string, Buffer | null, string]>([
    ['null value (tombstone)', null, 'empty message value'],
    ['empty bytes', Buffer.alloc(0), 'empty message value'],
    ['not JSON', Buffer.from('{"schema": "meter-reading-submitted/1",'), 'value is not valid JSON'],
    ['plain text', Buffer.from('hello'), 'value is not valid JSON'],
    ['only spaces', Buffer.from('   '), 'value is not valid JSON'],
    ['a JSON string', bytes('text'), 'not a JSON object'],
    ['a JSON array', bytes([submission()]), 'not a JSON object'],
    ['JSON null', Buffer.from('null'), 'not a JSON object'],
  ])('%s -> %p', (_name, raw, error) => {
    expect(decodeSubmission(raw)).toEqual({ ok: false, error });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a bad account number', submission({ accountNumber: '' }), 'accountNumber'],
    ['a bad confidence', submission({ confidence: 1.5 }), 'confidence'],
    ['a bad readAt', submission({ readAt: '20.11.2026' }), 'readAt'],
    ['readAt in year 0000', submission({ readAt: '0000-12-05T10:00:00+03:00' }), 'readAt'],
  ])('JSON with %s names the field', (_name, message, field) => {
    const result = decodeSubmission(bytes(message));
    expect(!result.ok && result.error.startsWith(`${field} `)).toBe(true);
  });
});

describe('normaliseTimestamp', () => {
  it.each([
    ['2026-11-20T10:15:00+03:00', '2026-11-20T10:15:00+03:00'],
    ['2026-11-20t10:15:00z', '2026-11-20T10:15:00Z'],
    ['2026-11-20t10:15:00.5+03:00', '2026-11-20T10:15:00.5+03:00'],
    ['2026-11-20T10:15:00.123456789Z', '2026-11-20T10:15:00.123456789Z'],
    ['2026-11-20T10:15:00.1234567891234z', '2026-11-20T10:15:00.123456789Z'],
    ['2026-11-20T10:15:00', '2026-11-20T10:15:00'],
    ['2026-11-20 10:15:00Z', '2026-11-20 10:15:00Z'],
    ['2026-11-20T10:15:001Z', '2026-11-20T10:15:001Z'],
    ['2026-11-20T10:15:00.z', '2026-11-20T10:15:00.z'],
  ])('%p -> %p', (input, expected) => {
    expect(normaliseTimestamp(input)).toBe(expected);
  });
});

describe('readTimestamp', () => {
  it.each([
    ['the wire form, as it is', '2026-11-20T10:15:00.123+03:00', '2026-11-20T10:15:00.123+03:00'],
    ['lower-case t and z, normalised', '2026-11-20t10:15:00z', '2026-11-20T10:15:00Z'],
    ['a long fraction, cut', '2026-11-20T10:15:00.1234567891Z', '2026-11-20T10:15:00.123456789Z'],
    ['no offset', '2026-11-20T10:15:00', null],
    ['a day that does not exist', '2026-02-30t10:15:00z', null],
    ['a year out of bounds', '2100-01-01T00:00:00Z', null],
    ['not text', 1763622900000, null],
  ])('%s', (_name, value, read) => {
    expect(readTimestamp(value)).toBe(read);
  });
});
