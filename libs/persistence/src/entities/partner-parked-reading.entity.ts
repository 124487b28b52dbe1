import type { PartnerReading } from '@gw/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A partner reading waiting for its cross-reference row; released once the mapping exists. */
@Entity('partner_parked_readings')
export class PartnerParkedReadingEntity {
  @PrimaryColumn({ name: 'msg_id', type: 'varchar', length: 256 })
  msgId: string;

  @PrimaryColumn({ name: 'partner_account', type: 'varchar', length: 32 })
  partnerAccount: string;

  @PrimaryColumn({ name: 'partner_meter', type: 'varchar', length: 32 })
  partnerMeter: string;

  @Column({ type: 'jsonb' })
  reading: PartnerReading;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'kafka_partition', type: 'integer' })
  kafkaPartition: number;

  @Column({ name: 'kafka_offset', type: 'bigint' })
  kafkaOffset: string;

  @Column({ name: 'parked_at', type: 'timestamptz' })
  parkedAt: Date;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt: Date | null;

  @Column({ name: 'submission_id', type: 'uuid', nullable: true })
  submissionId: string | null;
}
