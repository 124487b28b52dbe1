import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CODE_PURPOSES = ['registration', 'sign_in'] as const;
export type CodePurpose = (typeof CODE_PURPOSES)[number];

/** A one-time code sent by e-mail, kept only as an HMAC; the latest one of a subject counts. */
@Entity('one_time_codes')
export class OneTimeCodeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  purpose: CodePurpose;

  /** The registration id, or the resident id for sign-in. */
  @Column({ type: 'varchar', length: 64 })
  subject: string;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'smallint' })
  attempts: number;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
