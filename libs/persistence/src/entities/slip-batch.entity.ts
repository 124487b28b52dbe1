import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SLIP_BATCH_STATUSES = ['receiving', 'complete', 'interrupted', 'failed'] as const;
export type SlipBatchStatus = (typeof SLIP_BATCH_STATUSES)[number];

/** One batch file of a scanning centre and the state of its latest upload. */
@Entity('slip_batches')
export class SlipBatchEntity {
  @PrimaryColumn({ name: 'centre_id', type: 'varchar', length: 64 })
  centreId: string;

  @PrimaryColumn({ name: 'batch_id', type: 'varchar', length: 64 })
  batchId: string;

  @Column({ type: 'integer' })
  upload: number;

  @Column({ type: 'varchar', length: 16 })
  status: SlipBatchStatus;

  @Column({ name: 'row_count', type: 'integer' })
  rowCount: number;

  @Column({ name: 'queued_count', type: 'integer' })
  queuedCount: number;

  @Column({ name: 'invalid_count', type: 'integer' })
  invalidCount: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'heartbeat_at', type: 'timestamptz' })
  heartbeatAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
