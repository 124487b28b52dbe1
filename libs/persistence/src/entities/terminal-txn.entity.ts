import type { SubmissionMessage } from '@gw/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export const TERMINAL_TXN_STATUSES = ['pending', 'done'] as const;
export type TerminalTxnStatus = (typeof TERMINAL_TXN_STATUSES)[number];

/** The durable idempotency record of one terminal `pay`, keyed by the network's `txn_id`. */
@Entity('terminal_txns')
export class TerminalTxnEntity {
  @PrimaryColumn({ name: 'terminal_id', type: 'varchar', length: 64 })
  terminalId: string;

  @PrimaryColumn({ name: 'txn_id', type: 'varchar', length: 20 })
  txnId: string;

  @Column({ name: 'prv_txn', type: 'bigint', unique: true })
  prvTxn: string;

  /** SHA-256 of the pay's normalised parameters: the same txn_id with other parameters is refused. */
  @Column({ name: 'params_hash', type: 'char', length: 64 })
  paramsHash: string;

  @Column({ name: 'account_number', type: 'varchar', length: 10 })
  accountNumber: string;

  @Column({ type: 'numeric', precision: 14, scale: 2 })
  sum: string;

  @Column({ name: 'submission_ids', type: 'uuid', array: true })
  submissionIds: string[];

  @Column({ type: 'jsonb' })
  submissions: SubmissionMessage[];

  @Column({ type: 'varchar', length: 8 })
  status: TerminalTxnStatus;

  /** When an attempt to publish started; a lease, so two retries in flight do not both publish. */
  @Column({ name: 'attempt_at', type: 'timestamptz', nullable: true })
  attemptAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
