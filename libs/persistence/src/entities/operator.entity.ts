import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OperatorRole } from '../operator-role';

@Entity('operators')
export class OperatorEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  login: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ type: 'varchar', length: 16 })
  role: OperatorRole;

  /** Tokens issued in an earlier epoch are refused (see OperatorRepository.endSessions). */
  @Column({ name: 'session_epoch', type: 'integer' })
  sessionEpoch: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Set by `ctl … disable`: every edge refuses the credential until it is enabled again. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;
}
