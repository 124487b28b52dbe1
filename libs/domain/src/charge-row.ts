import type { Period } from './moscow-time';
import { canonicalAmount } from './payment-document';
import { isPeriod } from './period-range';
import { ACCOUNT_NUMBER, type Parsed } from './registry-row';

/** What one payment document charged an account for a billing period (contract section 4). */
export interface Charge {
  accountNumber: string;
  period: Period;
  /** Rubles with two kopeck digits, e.g. "4321.55". */
  amountCharged: string;
}

export const CHARGE_COLUMNS = ['account_number', 'period', 'amount_charged'] as const;

export type ChargeRecord = Partial<Record<(typeof CHARGE_COLUMNS)[number], string>>;

/** Validates one row of the billing charges file; the error names the first column that is wrong. */
export function parseChargeRecord(record: ChargeRecord): Parsed<Charge> {
  const get = (column: (typeof CHARGE_COLUMNS)[number]) => (record[column] ?? '').trim();
  const accountNumber = get('account_number');
  if (!ACCOUNT_NUMBER.test(accountNumber))
    return { ok: false, error: 'account_number must be 10 digits' };
  const period = get('period');
  if (!isPeriod(period)) return { ok: false, error: 'period must be a month YYYY-MM' };
  const amountCharged = canonicalAmount(get('amount_charged'));
  if (amountCharged === null) {
    return {
      ok: false,
      error: 'amount_charged must be an amount in rubles with at most 2 digits after the point',
    };
  }
  return { ok: true, value: { accountNumber, period, amountCharged } };
}
