import { parseSlipRecord, SLIP_COLUMNS, SLIP_REQUIRED_COLUMNS, type SlipRecord } from './slip-row';

const QR =
  'ST00012|Name=ООО "МосОблЕИРЦ"|PersonalAcc=40702810040000012345|BankName=ПАО Сбербанк|BIC=044525225|CorrespAcc=30101810400000000225|PersAcc=5001234567|paymPeriod=112026';

/** The example row of contract section 7.4, with a complete QR payload. */
function slipRecord(overrides: SlipRecord = {}): SlipRecord {
  return {
    slip_id: 'S-000001',
    qr_payload: QR,
    meter_serial: '19-123456',
    zone: 'T1',
    value: '01234,567',
    confidence: '0.97',
    image_ref: '2026/11/20/S-000001.png',
    ...overrides,
  };
}

describe('SLIP_COLUMNS', () => {
  it('follows the header of contract section 7.4', () => {
    expect(SLIP_COLUMNS.join(';')).toBe(
      'slip_id;qr_payload;meter_serial;zone;value;confidence;image_ref',
    );
  });

  it('lets image_ref alone be left out', () => {
    expect(SLIP_COLUMNS.filter((c) => !SLIP_REQUIRED_COLUMNS.includes(c))).toEqual(['image_ref']);
  });
});

describe('parseSlipRecord: valid rows', () => {
  it('parses the contract example', () => {
    expect(parseSlipRecord(slipRecord())).toEqual({
      slipId: 'S-000001',
      meterSerial: '19-123456',
      zone: 'T1',
      imageRef: '2026/11/20/S-000001.png',
      line: {
        ok: true,
        value: {
          slipId: 'S-000001',
          meterSerial: '19-123456',
          accountNumber: '5001234567',
          paymPeriod: '2026-11',
          zone: 'T1',
          value: '01234,567',
          confidence: 0.97,
          imageRef: '2026/11/20/S-000001.png',
        },
      },
    });
  });

  it.each<[string, SlipRecord, Record<string, unknown>]>([
    ['a dot decimal', { value: '01234.567' }, { value: '01234.567' }],
    ['a whole number', { value: '1234' }, { value: '1234' }],
    ['zero', { value: '0' }, { value: '0' }],
    ['zone T2', { zone: 'T2' }, { zone: 'T2' }],
    ['zone T3', { zone: 'T3' }, { zone: 'T3' }],
    ['confidence with a comma', { confidence: '0,85' }, { confidence: 0.85 }],
    ['confidence 1', { confidence: '1' }, { confidence: 1 }],
    ['confidence 1.000', { confidence: '1.000' }, { confidence: 1 }],
    ['confidence 0', { confidence: '0' }, { confidence: 0 }],
    ['confidence with many digits', { confidence: '0.899999' }, { confidence: 0.899999 }],
    ['no image_ref column', { image_ref: undefined }, { imageRef: null }],
    ['an empty image_ref', { image_ref: '' }, { imageRef: null }],
    [
      'an image_ref of 512 emoji (1024 UTF-16 units)',
      { image_ref: '😀'.repeat(512) },
      { imageRef: '😀'.repeat(512) },
    ],
    [
      'spaces around fields',
      { slip_id: ' S-1 ', zone: ' T1 ', value: ' 5 ' },
      { slipId: 'S-1', zone: 'T1', value: '5' },
    ],
    [
      'a QR without PaymPeriod',
      { qr_payload: QR.replace('|paymPeriod=112026', '') },
      { paymPeriod: null },
    ],
    ['a QR with charset 1', { qr_payload: QR.replace('ST00012', 'ST00011') }, {}],
    [
      'a slip id with dots and underscores',
      { slip_id: 'RUN_7.S-000001' },
      { slipId: 'RUN_7.S-000001' },
    ],
  ])('%s', (_name, overrides, expected) => {
    const parsed = parseSlipRecord(slipRecord(overrides));
    expect(parsed.line).toEqual({ ok: true, value: expect.objectContaining(expected) });
  });
});

describe('parseSlipRecord: invalid rows name the column', () => {
  it.each<[string, SlipRecord, string]>([
    ['no slip_id', { slip_id: '' }, 'slip_id must be 1 to 64 letters, digits, ".", "_" or "-"'],
    [
      'a slip_id with a slash',
      { slip_id: 'S/1' },
      'slip_id must be 1 to 64 letters, digits, ".", "_" or "-"',
    ],
    [
      'a slip_id with a quote',
      { slip_id: 'S"1' },
      'slip_id must be 1 to 64 letters, digits, ".", "_" or "-"',
    ],
    [
      'a slip_id of 65 characters',
      { slip_id: 'S'.repeat(65) },
      'slip_id must be 1 to 64 letters, digits, ".", "_" or "-"',
    ],
    ['no qr_payload', { qr_payload: '' }, 'qr_payload: payload is empty'],
    ['a broken QR', { qr_payload: 'ST00022|Name=x' }, 'qr_payload: payload must start with ST0001'],
    [
      'a QR without PersAcc',
      { qr_payload: QR.replace('|PersAcc=5001234567', '') },
      'qr_payload has no PersAcc (the account number) in its payment QR code',
    ],
    ['no meter_serial', { meter_serial: '' }, 'meter_serial must be 1 to 32 printable characters'],
    [
      'a meter_serial of 33 characters',
      { meter_serial: 'M'.repeat(33) },
      'meter_serial must be 1 to 32 printable characters',
    ],
    ['no zone', { zone: '' }, 'zone must be one of T1, T2, T3'],
    ['zone T4', { zone: 'T4' }, 'zone must be one of T1, T2, T3'],
    ['zone in lower case', { zone: 't1' }, 'zone must be one of T1, T2, T3'],
    ...['', '-1', '1,2,3', '1.2.3', '12,', ',5', '1 234', '12a', '1e3', '١٢'].map(
      (value): [string, SlipRecord, string] => [
        `value ${JSON.stringify(value)}`,
        { value },
        'value must be a non-negative decimal with at most one "," or "."',
      ],
    ),
    ...['', '1.01', '2', '-0.1', '.9', '0.', 'NaN', 'high', '0.9x'].map(
      (confidence): [string, SlipRecord, string] => [
        `confidence ${JSON.stringify(confidence)}`,
        { confidence },
        'confidence must be a decimal from 0 to 1',
      ],
    ),
    [
      'an image_ref of 513 characters',
      { image_ref: 'i'.repeat(513) },
      'image_ref must be at most 512 characters without control characters',
    ],
    [
      'an image_ref with U+0000',
      { image_ref: '2026/11/\u0000.png' },
      'image_ref must be at most 512 characters without control characters',
    ],
    [
      'an image_ref with a tab',
      { image_ref: '2026/11/a\tb.png' },
      'image_ref must be at most 512 characters without control characters',
    ],
    [
      'several bad columns: the first is named',
      { slip_id: '', zone: 'T9' },
      'slip_id must be 1 to 64 letters, digits, ".", "_" or "-"',
    ],
  ])('%s', (_name, overrides, error) => {
    expect(parseSlipRecord(slipRecord(overrides)).line).toEqual({ ok: false, error });
  });

  it('keeps slip_id, meter_serial, zone and image_ref of a bad row when they are valid', () => {
    expect(
      parseSlipRecord(slipRecord({ qr_payload: 'ST00012|PersAcc=1', image_ref: 'a/S-1.png' })),
    ).toMatchObject({
      slipId: 'S-000001',
      meterSerial: '19-123456',
      zone: 'T1',
      imageRef: 'a/S-1.png',
      line: { ok: false },
    });
  });

  it('keeps no invalid slip_id, meter_serial, zone or image_ref', () => {
    expect(
      parseSlipRecord(
        slipRecord({ slip_id: 'S 1', meter_serial: '', zone: 'T9', image_ref: 'a\u0007.png' }),
      ),
    ).toMatchObject({ slipId: null, meterSerial: null, zone: null, imageRef: null });
  });
});
