import { type OperatorRole, queryable, type Transaction } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** An operator as login checks them; `ctl operator add` creates them. */
export interface StoredOperator {
  login: string;
  passwordHash: string;
  role: OperatorRole;
  /** Tokens issued in an earlier epoch are refused (`ctl operator revoke` moves it on). */
  sessionEpoch: number;
  createdAt: Date;
  /** Set by `ctl operator disable`: the operator cannot log in until enabled again. */
  disabledAt: Date | null;
}

interface OperatorRow {
  login: string;
  password_hash: string;
  role: OperatorRole;
  session_epoch: number;
  created_at: Date;
  disabled_at: Date | null;
}

export class OperatorRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Whether a token of this session epoch still holds: the operator exists, is enabled and has not
   * moved on. In `tx` the operator's row is share-locked until it ends, so a revoke or disable
   * made meanwhile waits for it, or is seen by it.
   */
  async inSessionEpoch(login: string, epoch: number, tx?: Transaction): Promise<boolean> {
    const rows: unknown[] = await queryable(this.db, tx).query(
      `SELECT 1 FROM operators WHERE login = $1 AND session_epoch = $2 AND disabled_at IS NULL${
        tx ? ' FOR SHARE' : ''
      }`,
      [login, epoch],
    );
    return rows.length === 1;
  }

  /**
   * Replaces a hash with a stronger one of the same password, unless the password was reset
   * meanwhile (`previous` no longer stored). Sessions go on: the password has not changed.
   */
  async upgradePasswordHash(login: string, previous: string, next: string): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.db.query(
      'UPDATE operators SET password_hash = $3 WHERE login = $1 AND password_hash = $2',
      [login, previous, next],
    );
    return count === 1;
  }

  /**
   * The operator whose login, in lower case, is `lowered`; theirs is as first written. The caller
   * lower-cases it, not PostgreSQL, whose lower() also turns a dotted İ into i.
   */
  async find(lowered: string): Promise<StoredOperator | null> {
    const [row]: OperatorRow[] = await this.db.query(
      `SELECT login, password_hash, role, session_epoch, created_at, disabled_at
         FROM operators WHERE lower(login) = $1`,
      [lowered],
    );
    return row
      ? {
          login: row.login,
          passwordHash: row.password_hash,
          role: row.role,
          sessionEpoch: row.session_epoch,
          createdAt: row.created_at,
          disabledAt: row.disabled_at,
        }
      : null;
  }
}
