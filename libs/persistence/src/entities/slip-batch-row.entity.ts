import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One line of a batch file: the submission it went into, or why it did not. */
@Entity('slip_batch_rows')
export class SlipBatchRowEntity {
  @PrimaryColumn({ name: 'centre_id', type: 'varchar', length: 64 })
  centreId: string;

  @PrimaryColumn({ name: 'batch_id', type: 'varchar', length: 64 })
  batchId: string;

  @PrimaryColumn({ name: 'row_no', type: 'integer' })
  rowNo: number;

  @Column({ type: 'integer' })
  upload: number;

  @Column({ name: 'slip_id', type: 'varchar', length: 64, nullable: true })
  slipId: string | null;

  @Column({ name: 'meter_serial', type: 'varchar', length: 32, nullable: true })
  meterSerial: string | null;

  @Column({ type: 'varchar', length: 2, nullable: true })
  zone: string | null;

  @Column({ name: 'image_ref', type: 'varchar', length: 512, nullable: true })
  imageRef: string | null;

  @Column({ name: 'submission_id', type: 'uuid', nullable: true })
  submissionId: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
