import type { DataSource } from 'typeorm';

/** Billing charges per account and period, as `ctl charges import` loads them. */
export class ChargeRepository {
  constructor(private readonly db: DataSource) {}

  /** Whether the payment document of `period` charged the account exactly `amount` (rubles). */
  async matches(accountNumber: string, period: string, amount: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM charges WHERE account_number = $1 AND period = $2 AND amount_charged = $3::numeric`,
      [accountNumber, period, amount],
    );
    return rows.length > 0;
  }
}
