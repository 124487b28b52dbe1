import {
  PARTNER_MAP_COLUMNS,
  parsePartnerMapRecord,
  type PartnerMapRecord,
} from './partner-map-row';

/** The first row of the cross-reference sample (deploy/demo/partner-map.sample.csv). */
function mapRecord(overrides: PartnerMapRecord = {}): PartnerMapRecord {
  return {
    partner_account: '1234567890',
    partner_meter: '011234567',
    account_number: '5001234567',
    serial: 'E-0077123',
    ...overrides,
  };
}

describe('PARTNER_MAP_COLUMNS', () => {
  it('follows the header of contract section 4', () => {
    expect(PARTNER_MAP_COLUMNS.join(';')).toBe(
      'partner_account;partner_meter;account_number;serial',
    );
  });
});

describe('parsePartnerMapRecord: valid rows', () => {
  it.each<[string, PartnerMapRecord, Record<string, string>]>([
    [
      'the sample row',
      mapRecord(),
      {
        partnerAccount: '1234567890',
        partnerMeter: '011234567',
        accountNumber: '5001234567',
        serial: 'E-0077123',
      },
    ],
    [
      'leading zeros kept',
      mapRecord({ partner_meter: '000000001' }),
      { partnerMeter: '000000001' },
    ],
    [
      'spaces around cells trimmed',
      mapRecord({ partner_account: ' 1234567890 ', serial: ' E-0077123 ' }),
      { partnerAccount: '1234567890', serial: 'E-0077123' },
    ],
    [
      'partner ids with letters and punctuation',
      mapRecord({ partner_account: 'MES-77/001', partner_meter: 'CE301#5' }),
      { partnerAccount: 'MES-77/001', partnerMeter: 'CE301#5' },
    ],
    [
      '32-character partner ids',
      mapRecord({ partner_account: 'A'.repeat(32), partner_meter: '9'.repeat(32) }),
      { partnerAccount: 'A'.repeat(32), partnerMeter: '9'.repeat(32) },
    ],
    ['a serial with an inner space', mapRecord({ serial: 'AB 123' }), { serial: 'AB 123' }],
  ])('%s', (_name, record, expected) => {
    expect(parsePartnerMapRecord(record)).toEqual({
      ok: true,
      value: expect.objectContaining(expected),
    });
  });
});

describe('parsePartnerMapRecord: each bad cell is named', () => {
  it.each<[string, PartnerMapRecord, string]>([
    ['partner account missing', mapRecord({ partner_account: undefined }), 'partner_account'],
    ['partner account empty', mapRecord({ partner_account: '' }), 'partner_account'],
    ['partner account with a space', mapRecord({ partner_account: '123 456' }), 'partner_account'],
    [
      'partner account of 33 characters',
      mapRecord({ partner_account: '1'.repeat(33) }),
      'partner_account',
    ],
    ['partner account in Cyrillic', mapRecord({ partner_account: 'ЛС123' }), 'partner_account'],
    ['partner meter missing', mapRecord({ partner_meter: undefined }), 'partner_meter'],
    ['partner meter empty', mapRecord({ partner_meter: '  ' }), 'partner_meter'],
    ['partner meter with a space', mapRecord({ partner_meter: '011 234' }), 'partner_meter'],
    ['account number of 9 digits', mapRecord({ account_number: '500123456' }), 'account_number'],
    ['account number of 11 digits', mapRecord({ account_number: '50012345678' }), 'account_number'],
    ['account number with a letter', mapRecord({ account_number: '500123456X' }), 'account_number'],
    ['account number missing', mapRecord({ account_number: undefined }), 'account_number'],
    ['serial missing', mapRecord({ serial: undefined }), 'serial'],
    ['serial of 33 characters', mapRecord({ serial: 'S'.repeat(33) }), 'serial'],
    ['serial in Cyrillic', mapRecord({ serial: 'Э-1' }), 'serial'],
  ])('%s', (_name, record, column) => {
    const result = parsePartnerMapRecord(record);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(new RegExp(`^${column} `));
  });
});
