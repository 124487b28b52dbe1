import type { DataSource } from 'typeorm';

export interface ScanningCentreCredentials {
  centreId: string;
  passwordHash: string;
  disabled: boolean;
}

/** Scanning centres and their upload credentials. */
export class ScanningCentreRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Creates the centre or replaces its login and password (the old password stops working). A
   * disabled centre stays disabled.
   */
  async save(centreId: string, login: string, passwordHash: string): Promise<void> {
    await this.db.query(
      `INSERT INTO scanning_centres (centre_id, login, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (centre_id) DO UPDATE
         SET login = EXCLUDED.login, password_hash = EXCLUDED.password_hash, password_set_at = now()`,
      [centreId, login, passwordHash],
    );
  }

  /** A stronger hash of the same password, unless the password was replaced meanwhile. */
  async upgradePasswordHash(centreId: string, previous: string, next: string): Promise<void> {
    await this.db.query(
      'UPDATE scanning_centres SET password_hash = $3 WHERE centre_id = $1 AND password_hash = $2',
      [centreId, previous, next],
    );
  }

  async findByLogin(login: string): Promise<ScanningCentreCredentials | null> {
    const [row] = await this.db.query(
      `SELECT centre_id, password_hash, disabled_at IS NOT NULL AS disabled
         FROM scanning_centres WHERE login = $1`,
      [login],
    );
    return row
      ? { centreId: row.centre_id, passwordHash: row.password_hash, disabled: row.disabled }
      : null;
  }
}
