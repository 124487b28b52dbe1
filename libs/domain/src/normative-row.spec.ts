import { NORMATIVE_COLUMNS, type NormativeRecord, parseNormativeRecord } from './normative-row';

const row = (overrides: NormativeRecord = {}): NormativeRecord => ({
  account_number: '5001234567',
  resource: 'cold_water',
  monthly_volume: '6.935',
  ...overrides,
});

describe('NORMATIVE_COLUMNS', () => {
  it('follows the header of contract section 10', () => {
    expect(NORMATIVE_COLUMNS.join(';')).toBe('account_number;resource;monthly_volume');
  });
});

describe('parseNormativeRecord', () => {
  it.each<[string, NormativeRecord, string]>([
    ['the sample row', {}, '6.935000'],
    ['a comma as the decimal separator', { monthly_volume: '6,935' }, '6.935000'],
    ['a whole number, padded', { monthly_volume: ' 12 ' }, '12.000000'],
    ['zero', { monthly_volume: '0' }, '0.000000'],
  ])('parses %s', (_case, overrides, volume) => {
    expect(parseNormativeRecord(row(overrides))).toEqual({
      ok: true,
      value: { accountNumber: '5001234567', resource: 'cold_water', monthlyVolume: volume },
    });
  });

  it.each<[NormativeRecord, string]>([
    [{ account_number: '500123456' }, 'account_number must be 10 digits'],
    [
      { resource: 'water' },
      'resource must be one of cold_water, hot_water, electricity, gas, heat',
    ],
    [{ monthly_volume: '-1' }, 'monthly_volume must be a non-negative decimal'],
    [{ monthly_volume: '1.1234567' }, 'monthly_volume must be a non-negative decimal'],
    [{ monthly_volume: '' }, 'monthly_volume must be a non-negative decimal'],
    [{ monthly_volume: '123456789012345' }, 'monthly_volume must be a non-negative decimal'],
  ])('refuses %p', (overrides, error) => {
    const parsed = parseNormativeRecord(row(overrides));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain(error);
  });
});
