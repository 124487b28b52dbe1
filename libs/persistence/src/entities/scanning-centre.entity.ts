import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A scanning centre that uploads batches of tear-off slips, with its HTTP Basic credentials. */
@Entity('scanning_centres')
export class ScanningCentreEntity {
  @PrimaryColumn({ name: 'centre_id', type: 'varchar', length: 64 })
  centreId: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  login: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'password_set_at', type: 'timestamptz' })
  passwordSetAt: Date;

  /** Set by `ctl … disable`: every edge refuses the credential until it is enabled again. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;
}
