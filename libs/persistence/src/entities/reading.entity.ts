import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One submission and the processor's decision on it; `submission_id` makes every write idempotent. */
@Entity('readings')
export class ReadingEntity {
  @PrimaryColumn({ name: 'submission_id', type: 'uuid' })
  submissionId: string;

  @Column({ type: 'varchar', length: 24 })
  channel: string;

  @Column({ name: 'source_id', type: 'varchar' })
  sourceId: string;

  @Column({ name: 'source_ref', type: 'varchar' })
  sourceRef: string;

  @Column({ name: 'account_number', type: 'varchar' })
  accountNumber: string;

  @Column({ name: 'meter_serial', type: 'varchar' })
  meterSerial: string;

  @Column({ name: 'submitted_values', type: 'jsonb' })
  submittedValues: { zone: string; value: string }[];

  @Column({ type: 'numeric', nullable: true })
  t1: string | null;

  @Column({ type: 'numeric', nullable: true })
  t2: string | null;

  @Column({ type: 'numeric', nullable: true })
  t3: string | null;

  @Column({ name: 'read_at', type: 'timestamptz' })
  readAt: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ type: 'numeric', nullable: true })
  confidence: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'text', array: true })
  reasons: string[];

  @Column({ type: 'text', array: true })
  warnings: string[];

  @Column({ name: 'billing_period', type: 'char', length: 7, nullable: true })
  billingPeriod: string | null;

  @Column({ type: 'jsonb' })
  consumption: { zone: string; value: string }[];

  @Column({ name: 'consumption_total', type: 'numeric', nullable: true })
  consumptionTotal: string | null;

  @Column({ name: 'consumption_days', type: 'double precision', nullable: true })
  consumptionDays: number | null;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt: Date;

  @Column({ name: 'kafka_partition', type: 'integer' })
  kafkaPartition: number;

  @Column({ name: 'kafka_offset', type: 'bigint' })
  kafkaOffset: string;

  /** The W3C trace id the submission arrived with (its `traceparent` header). */
  @Column({ name: 'trace_id', type: 'char', length: 32, nullable: true })
  traceId: string | null;
}
