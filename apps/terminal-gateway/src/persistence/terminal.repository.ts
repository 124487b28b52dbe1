import type { TerminalCredentials } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** What authenticating a terminal needs. */
export interface StoredTerminal extends TerminalCredentials {
  disabled: boolean;
}

interface TerminalRow {
  terminal_id: string;
  login: string;
  password_hash: string;
  allowed_ips: string[];
  allow_any_ip: boolean;
  disabled: boolean;
}

/** Payment terminals' credentials, as `ctl terminal add` stores them. */
export class TerminalRepository {
  constructor(private readonly db: DataSource) {}

  /** A stronger hash of the same password, unless the password was replaced meanwhile. */
  async upgradePasswordHash(terminalId: string, previous: string, next: string): Promise<void> {
    await this.db.query(
      'UPDATE terminals SET password_hash = $3 WHERE terminal_id = $1 AND password_hash = $2',
      [terminalId, previous, next],
    );
  }

  async findByLogin(login: string): Promise<StoredTerminal | null> {
    const [row]: TerminalRow[] = await this.db.query(
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
