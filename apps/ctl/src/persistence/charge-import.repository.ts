import type { Charge } from '@gw/domain';
import type { UpsertCounts } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** Loads billing charges per account and period from the billing system's export. */
export class ChargeImportRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Inserts new charges and updates changed amounts in one statement; importing the same file
   * twice changes nothing. A later row for the same account and period wins.
   */
  async upsertCharges(rows: Charge[]): Promise<UpsertCounts> {
    const charges = [...new Map(rows.map((r) => [`${r.accountNumber}/${r.period}`, r])).values()];
    const [counts]: UpsertCounts[] = await this.db.query(
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
    return counts;
  }
}
