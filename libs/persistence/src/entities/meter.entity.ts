import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('meters')
export class MeterEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  serial: string;

  @Column({ name: 'account_number', type: 'varchar', length: 10 })
  accountNumber: string;

  @Column({ type: 'varchar', length: 16 })
  resource: string;

  @Column({ type: 'smallint' })
  zones: number;

  @Column({ name: 'integer_digits', type: 'smallint' })
  integerDigits: number;

  @Column({ name: 'fraction_digits', type: 'smallint' })
  fractionDigits: number;

  @Column({ name: 'installed_on', type: 'date' })
  installedOn: string;

  @Column({ name: 'verified_on', type: 'date' })
  verifiedOn: string;

  @Column({ name: 'verification_interval_months', type: 'integer' })
  verificationIntervalMonths: number;

  @Column({ name: 'verification_due_on', type: 'date' })
  verificationDueOn: string;

  @Column({ name: 'decommissioned_on', type: 'date', nullable: true })
  decommissionedOn: string | null;

  @Column({ name: 'initial_t1', type: 'numeric', nullable: true })
  initialT1: string | null;

  @Column({ name: 'initial_t2', type: 'numeric', nullable: true })
  initialT2: string | null;

  @Column({ name: 'initial_t3', type: 'numeric', nullable: true })
  initialT3: string | null;

  @Column({ name: 'initial_on', type: 'date', nullable: true })
  initialOn: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
