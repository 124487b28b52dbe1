import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A registration waiting for the code sent to its e-mail; deleted once confirmed or stale. */
@Entity('resident_registrations')
export class ResidentRegistrationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'account_number', type: 'varchar', length: 10 })
  accountNumber: string;

  @Column({ type: 'char', length: 7 })
  period: string;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 16 })
  phone: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
