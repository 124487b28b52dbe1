import type { PartnerMapping } from '@gw/domain';
import type { DataSource } from 'typeorm';

/** The Mosenergosbyt cross-reference (contract section 4), as `ctl partner-map import` loads it. */
export class PartnerMapRepository {
  constructor(private readonly db: DataSource) {}

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
