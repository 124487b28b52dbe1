import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Attempts counted for one key in one fixed window of a rate limit; the key is a SHA-256 hex. */
@Entity('rate_limit_counters')
export class RateLimitCounterEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  scope: string;

  @PrimaryColumn({ name: 'key_hash', type: 'char', length: 64 })
  keyHash: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart: Date;

  @Column({ type: 'integer' })
  count: number;

  @Column({ name: 'last_at', type: 'timestamptz' })
  lastAt: Date;

  @Column({ name: 'previous_at', type: 'timestamptz', nullable: true })
  previousAt: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
