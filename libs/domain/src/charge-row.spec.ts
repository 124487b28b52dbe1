import { CHARGE_COLUMNS, type ChargeRecord, parseChargeRecord } from './charge-row';

const row = (overrides: ChargeRecord = {}): ChargeRecord => ({
  account_number: '5001234567',
  period: '2026-10',
  amount_charged: '4598.70',
  ...overrides,
});

describe('CHARGE_COLUMNS', () => {
  it('follows the header of contract section 4', () => {
    expect(CHARGE_COLUMNS.join(';')).toBe('account_number;period;amount_charged');
  });
});

describe('parseChargeRecord', () => {
  it('parses the sample row', () => {
    expect(parseChargeRecord(row())).toEqual({
      ok: true,
      value: { accountNumber: '5001234567', period: '2026-10', amountCharged: '4598.70' },
    });
  });

  it.each<[ChargeRecord, string]>([
    [{ amount_charged: '4598.7' }, '4598.70'],
    [{ amount_charged: '4598' }, '4598.00'],
    [{ amount_charged: ' 4598,70 ' }, '4598.70'],
    [{ amount_charged: '-12.30' }, '-12.30'],
  ])('normalises the amount %p to %p', (overrides, amount) => {
    const parsed = parseChargeRecord(row(overrides));
    expect(parsed).toEqual({ ok: true, value: expect.objectContaining({ amountCharged: amount }) });
  });

  it('trims cells', () => {
    expect(parseChargeRecord(row({ account_number: ' 5001234567 ', period: ' 2026-10 ' }))).toEqual(
      {
        ok: true,
        value: expect.objectContaining({ accountNumber: '5001234567', period: '2026-10' }),
      },
    );
  });

  it.each<[string, ChargeRecord, string]>([
    ['a short account', { account_number: '500123456' }, 'account_number must be 10 digits'],
    [
      'letters in the account',
      { account_number: '50012345AB' },
      'account_number must be 10 digits',
    ],
    ['no account', { account_number: undefined }, 'account_number must be 10 digits'],
    ['month 13', { period: '2026-13' }, 'period must be a month YYYY-MM'],
    ['month 00', { period: '2026-00' }, 'period must be a month YYYY-MM'],
    ['a QR-style period', { period: '102026' }, 'period must be a month YYYY-MM'],
    ['a date', { period: '2026-10-01' }, 'period must be a month YYYY-MM'],
    ['no period', { period: '' }, 'period must be a month YYYY-MM'],
    [
      'three kopeck digits',
      { amount_charged: '4598.705' },
      'amount_charged must be an amount in rubles with at most 2 digits after the point',
    ],
    [
      'a currency sign',
      { amount_charged: '4598.70₽' },
      'amount_charged must be an amount in rubles with at most 2 digits after the point',
    ],
    [
      'no amount',
      { amount_charged: '' },
      'amount_charged must be an amount in rubles with at most 2 digits after the point',
    ],
  ])('rejects %s', (_name, overrides, error) => {
    expect(parseChargeRecord(row(overrides))).toEqual({ ok: false, error });
  });
});
