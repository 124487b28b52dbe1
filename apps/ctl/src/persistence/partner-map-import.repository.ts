import { latestMappings, type PartnerMapping } from '@gw/domain';
import type { UpsertCounts } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** Loads the Mosenergosbyt cross-reference (contract section 4). */
export class PartnerMapImportRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Writes mappings in set-based statements: new pairs are imported, pairs pointing elsewhere are
   * updated, unchanged ones are left alone (importing the same file twice changes nothing). A
   * serial has one pair: mapping it to a new pair removes its old one.
   */
  async upsert(rows: PartnerMapping[]): Promise<UpsertCounts> {
    const kept = latestMappings(rows);
    const col = <K extends keyof PartnerMapping>(key: K) => kept.map((r) => r[key]);
    return this.db.transaction(async (tx) => {
      await tx.query(
        `DELETE FROM partner_meters pm
          USING unnest($1::varchar[], $2::varchar[], $3::varchar[]) AS i(partner_account, partner_meter, serial)
          WHERE pm.serial = i.serial
            AND (pm.partner_account, pm.partner_meter) <> (i.partner_account, i.partner_meter)`,
        [col('partnerAccount'), col('partnerMeter'), col('serial')],
      );
      const [counts]: UpsertCounts[] = await tx.query(
        `WITH written AS (
           INSERT INTO partner_meters AS pm (partner_account, partner_meter, account_number, serial)
           SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[])
           ON CONFLICT (partner_account, partner_meter) DO UPDATE SET
             account_number = EXCLUDED.account_number, serial = EXCLUDED.serial, updated_at = now()
           WHERE (pm.account_number, pm.serial) IS DISTINCT FROM (EXCLUDED.account_number, EXCLUDED.serial)
           RETURNING (xmax = 0) AS inserted
         )
         SELECT count(*) FILTER (WHERE inserted)::int AS imported,
                count(*) FILTER (WHERE NOT inserted)::int AS updated
           FROM written`,
        [col('partnerAccount'), col('partnerMeter'), col('accountNumber'), col('serial')],
      );
      return counts;
    });
  }
}
