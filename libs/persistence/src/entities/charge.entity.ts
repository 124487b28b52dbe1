import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What one payment document (ЕПД) charged an account for a billing period. */
@Entity('charges')
export class ChargeEntity {
  @PrimaryColumn({ name: 'account_number', type: 'varchar', length: 10 })
  accountNumber: string;

  @PrimaryColumn({ type: 'char', length: 7 })
  period: string;

  @Column({ name: 'amount_charged', type: 'numeric', precision: 14, scale: 2 })
  amountCharged: string;

  @Column({ name: 'imported_at', type: 'timestamptz' })
  importedAt: Date;
}
