import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row of the Mosenergosbyt cross-reference: the partner's ids for one of our meters. */
@Entity('partner_meters')
export class PartnerMeterEntity {
  @PrimaryColumn({ name: 'partner_account', type: 'varchar', length: 32 })
  partnerAccount: string;

  @PrimaryColumn({ name: 'partner_meter', type: 'varchar', length: 32 })
  partnerMeter: string;

  @Column({ name: 'account_number', type: 'varchar', length: 10 })
  accountNumber: string;

  @Column({ type: 'varchar', length: 32, unique: true })
  serial: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
