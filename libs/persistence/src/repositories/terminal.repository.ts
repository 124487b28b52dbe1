import type { DataSource } from 'typeorm';

/** What authenticating a terminal needs. */
export interface TerminalCredentials {
  terminalId: string;
  login: string;
  passwordHash: string;
  /** Normalised `address/prefix` ranges; empty means any address. */
  allowedIps: string[];
}

export const TERMINAL_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Payment terminals and their credentials. */
export class TerminalRepository {
  constructor(private readonly db: DataSource) {}

  /** Creates the terminal or replaces its login, password and allow-list. */
  async save(credentials: TerminalCredentials): Promise<void> {
    await this.db.query(
      `INSERT INTO terminals (terminal_id, login, password_hash, allowed_ips) VALUES ($1, $2, $3, $4::text[])
       ON CONFLICT (terminal_id) DO UPDATE
         SET login = EXCLUDED.login, password_hash = EXCLUDED.password_hash, allowed_ips = EXCLUDED.allowed_ips`,
      [credentials.terminalId, credentials.login, credentials.passwordHash, credentials.allowedIps],
    );
  }

  async findByLogin(login: string): Promise<TerminalCredentials | null> {
    const [row] = await this.db.query(
      `SELECT terminal_id, login, password_hash, allowed_ips FROM terminals WHERE login = $1`,
      [login],
    );
    return row
      ? {
          terminalId: row.terminal_id,
          login: row.login,
          passwordHash: row.password_hash,
          allowedIps: row.allowed_ips,
        }
      : null;
  }
}
