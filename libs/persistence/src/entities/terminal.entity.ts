import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A payment terminal allowed to call the OSMP endpoint (contract section 7.2). */
@Entity('terminals')
export class TerminalEntity {
  @PrimaryColumn({ name: 'terminal_id', type: 'varchar', length: 64 })
  terminalId: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  login: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  /** Addresses or CIDR ranges the terminal may call from; empty exactly when `allowAnyIp`. */
  @Column({ name: 'allowed_ips', type: 'text', array: true })
  allowedIps: string[];

  /** Any address may be used: given explicitly (`--allow-any`), never implied by an empty list. */
  @Column({ name: 'allow_any_ip', type: 'boolean' })
  allowAnyIp: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Set by `ctl … disable`: every edge refuses the credential until it is enabled again. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;
}
