import type { Charge } from '@gw/domain';
import type { DataSource } from 'typeorm';
import type { UpsertCounts } from './registry.repository';

/** Billing charges per account and period, as loaded from the billing system. */
export class ChargeRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Inserts new charges and updates changed amounts in one statement; importing the same file
   * twice changes nothing. A later row for the same account and period wins.
   */
  async upsertCharges(rows: Charge[]): Promise<UpsertCounts> {
    const charges = [...new Map(rows.map((r) => [`${r.accountNumber}/${r.period}`, r])).values()];
    const [counts] = await this.db.query(
      `WITH written AS (
         INSERT INTO charges AS c (account_number, period, amount_charged)
         SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::numeric[])
         ON CONFLICT (account_number, period) DO UPDATE
           SET amount_charged = EXCLUDED.amount_charged, imported_at = now()
         WHERE c.amount_charged IS DISTINCT FROM EXCLUDED.amount_charged
         RETURNING (xmax = 0) AS inserted
       )
       SELECT count(*) FILTER (WHERE inserted)::int AS imported, count(*) FILTER (WHERE NOT inserted)::int AS updated
         FROM written`,
      [
        charges.map((c) => c.accountNumber),
        charges.map((c) => c.period),
        charges.map((c) => c.amountCharged),
      ],
    );
    return counts as UpsertCounts;
  }

  /** Whether the payment document of `period` charged the account exactly `amount` (rubles). */
  async matches(accountNumber: string, period: string, amount: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM charges WHERE account_number = $1 AND period = $2 AND amount_charged = $3::numeric`,
      [accountNumber, period, amount],
    );
    return rows.length > 0;
  }
}
