import { latestMappings, type PartnerMapping } from '@gw/domain';
import type { DataSource } from 'typeorm';
import type { UpsertCounts } from './registry.repository';

/** The Mosenergosbyt cross-reference (contract section 4). */
export class PartnerMapRepository {
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
      const [counts] = await tx.query(
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
      return counts as UpsertCounts;
    });
  }

  /** The mappings of these partner pairs that exist, in one query. */
  async findByPartnerIds(
    pairs: Pick<PartnerMapping, 'partnerAccount' | 'partnerMeter'>[],
  ): Promise<PartnerMapping[]> {
    if (pairs.length === 0) return [];
    const rows: {
      partner_account: string;
      partner_meter: string;
      account_number: string;
      serial: string;
    }[] = await this.db.query(
      `SELECT DISTINCT pm.partner_account, pm.partner_meter, pm.account_number, pm.serial
         FROM partner_meters pm
         JOIN unnest($1::varchar[], $2::varchar[]) AS i(partner_account, partner_meter)
           ON pm.partner_account = i.partner_account AND pm.partner_meter = i.partner_meter`,
      [pairs.map((p) => p.partnerAccount), pairs.map((p) => p.partnerMeter)],
    );
    return rows.map((r) => ({
      partnerAccount: r.partner_account,
      partnerMeter: r.partner_meter,
      accountNumber: r.account_number,
      serial: r.serial,
    }));
  }
}
