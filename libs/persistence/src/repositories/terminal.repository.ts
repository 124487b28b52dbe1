import type { DataSource } from 'typeorm';

/** Where a terminal may call from: an explicit list of ranges, or any address if so chosen. */
export type TerminalAllowList = { anyIp: true; ranges: [] } | { anyIp: false; ranges: string[] };

/** What issuing a terminal's credentials stores. */
export interface TerminalCredentials {
  terminalId: string;
  login: string;
  passwordHash: string;
  /** Normalised `address/prefix` ranges. */
  allowList: TerminalAllowList;
}

/** What authenticating a terminal needs. */
export interface StoredTerminal extends TerminalCredentials {
  disabled: boolean;
}

export const TERMINAL_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Payment terminals and their credentials. */
export class TerminalRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Creates the terminal or replaces its login, password and allow-list. A disabled terminal stays
   * disabled.
   */
  async save({ terminalId, login, passwordHash, allowList }: TerminalCredentials): Promise<void> {
    await this.db.query(
      `INSERT INTO terminals (terminal_id, login, password_hash, allowed_ips, allow_any_ip)
       VALUES ($1, $2, $3, $4::text[], $5)
       ON CONFLICT (terminal_id) DO UPDATE
         SET login = EXCLUDED.login, password_hash = EXCLUDED.password_hash,
             allowed_ips = EXCLUDED.allowed_ips, allow_any_ip = EXCLUDED.allow_any_ip`,
      [terminalId, login, passwordHash, allowList.ranges, allowList.anyIp],
    );
  }

  /** A stronger hash of the same password, unless the password was replaced meanwhile. */
  async upgradePasswordHash(terminalId: string, previous: string, next: string): Promise<void> {
    await this.db.query(
      'UPDATE terminals SET password_hash = $3 WHERE terminal_id = $1 AND password_hash = $2',
      [terminalId, previous, next],
    );
  }

  async findByLogin(login: string): Promise<StoredTerminal | null> {
    const [row] = await this.db.query(
      `SELECT terminal_id, login, password_hash, allowed_ips, allow_any_ip, disabled_at IS NOT NULL AS disabled
         FROM terminals WHERE login = $1`,
      [login],
    );
    return row
      ? {
          terminalId: row.terminal_id,
          login: row.login,
          passwordHash: row.password_hash,
          allowList: row.allow_any_ip
            ? { anyIp: true, ranges: [] }
            : { anyIp: false, ranges: row.allowed_ips },
          disabled: row.disabled,
        }
      : null;
  }
}
