import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One event counted by a cabinet rate limit (a failed ЕПД check, a code sent), keyed by an HMAC. */
@Entity('cabinet_throttle_events')
export class CabinetThrottleEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  scope: string;

  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}
