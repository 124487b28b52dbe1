import type { DataSource } from 'typeorm';
import { OperatorEntity, type OperatorRole } from '../entities/operator.entity';

export class OperatorRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Creates the operator, or replaces their password and role and ends the sessions they had. A
   * disabled operator stays disabled.
   */
  async save(login: string, passwordHash: string, role: OperatorRole): Promise<void> {
    await this.db.query(
      `INSERT INTO operators AS o (login, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT (login) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
         session_epoch = o.session_epoch + 1`,
      [login, passwordHash, role],
    );
  }

  /**
   * Replaces a hash with a stronger one of the same password, unless the password was reset
   * meanwhile (`previous` no longer stored). Sessions go on: the password has not changed.
   */
  async upgradePasswordHash(login: string, previous: string, next: string): Promise<boolean> {
    const [, count] = await this.db.query(
      'UPDATE operators SET password_hash = $3 WHERE login = $1 AND password_hash = $2',
      [login, previous, next],
    );
    return count === 1;
  }

  /** Ends every session the operator has; false when there is no such operator. */
  async endSessions(login: string): Promise<boolean> {
    const [, count] = await this.db.query(
      'UPDATE operators SET session_epoch = session_epoch + 1 WHERE login = $1',
      [login],
    );
    return count === 1;
  }

  /**
   * Whether a token of this session epoch still holds: the operator exists, is enabled and has not
   * moved on.
   */
  async inSessionEpoch(login: string, epoch: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM operators WHERE login = $1 AND session_epoch = $2 AND disabled_at IS NULL',
      [login, epoch],
    );
    return rows.length === 1;
  }

  find(login: string): Promise<OperatorEntity | null> {
    return this.db.getRepository(OperatorEntity).findOneBy({ login });
  }
}
