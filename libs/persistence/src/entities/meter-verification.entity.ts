import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('meter_verifications')
export class MeterVerificationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  serial: string;

  @Column({ name: 'verified_on', type: 'date' })
  verifiedOn: string;

  @Column({ name: 'interval_months', type: 'integer' })
  intervalMonths: number;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ name: 'certificate_no', type: 'varchar', length: 64, nullable: true })
  certificateNo: string | null;

  @Column({ name: 'recorded_by', type: 'varchar', length: 64 })
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
