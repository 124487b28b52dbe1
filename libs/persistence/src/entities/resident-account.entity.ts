import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An account a resident proved with a payment document; several residents may link one account. */
@Entity('resident_accounts')
export class ResidentAccountEntity {
  @PrimaryColumn({ name: 'resident_id', type: 'uuid' })
  residentId: string;

  @PrimaryColumn({ name: 'account_number', type: 'varchar', length: 10 })
  accountNumber: string;

  @Column({ name: 'proved_by_period', type: 'char', length: 7 })
  provedByPeriod: string;

  @Column({ name: 'linked_at', type: 'timestamptz' })
  linkedAt: Date;

  /** How the account's other residents name this link without learning who holds it. */
  @Column({ name: 'link_id', type: 'uuid' })
  linkId: string;
}
