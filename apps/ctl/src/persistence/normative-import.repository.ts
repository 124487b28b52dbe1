import type { Normative } from '@gw/domain';
import type { UpsertCounts } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** Loads the billing system's normative volumes per account and resource. */
export class NormativeImportRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Inserts new normatives and updates changed volumes in one statement; importing the same file
   * twice changes nothing. A later row for the same account and resource wins.
   */
  async upsert(rows: Normative[]): Promise<UpsertCounts> {
    const normatives = [
      ...new Map(rows.map((r) => [`${r.accountNumber}/${r.resource}`, r])).values(),
    ];
    const [counts]: UpsertCounts[] = await this.db.query(
      `WITH written AS (
         INSERT INTO normatives AS n (account_number, resource, monthly_volume)
         SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::numeric[])
         ON CONFLICT (account_number, resource) DO UPDATE
           SET monthly_volume = EXCLUDED.monthly_volume, imported_at = now()
         WHERE n.monthly_volume IS DISTINCT FROM EXCLUDED.monthly_volume
         RETURNING (xmax = 0) AS inserted
       )
       SELECT count(*) FILTER (WHERE inserted)::int AS imported, count(*) FILTER (WHERE NOT inserted)::int AS updated
         FROM written`,
      [
        normatives.map((n) => n.accountNumber),
        normatives.map((n) => n.resource),
        normatives.map((n) => n.monthlyVolume),
      ],
    );
    return counts;
  }
}
