import type { DataSource } from 'typeorm';

export interface ScanningCentreCredentials {
  centreId: string;
  passwordHash: string;
  disabled: boolean;
}

interface CentreRow {
  centre_id: string;
  password_hash: string;
  disabled: boolean;
}

/** Scanning centres' upload credentials, as `ctl scanner add` stores them. */
export class ScanningCentreRepository {
  constructor(private readonly db: DataSource) {}

  /** A stronger hash of the same password, unless the password was replaced meanwhile. */
  async upgradePasswordHash(centreId: string, previous: string, next: string): Promise<void> {
    await this.db.query(
      'UPDATE scanning_centres SET password_hash = $3 WHERE centre_id = $1 AND password_hash = $2',
      [centreId, previous, next],
    );
  }

  async findByLogin(login: string): Promise<ScanningCentreCredentials | null> {
    const [row]: CentreRow[] = await this.db.query(
      `SELECT centre_id, password_hash, disabled_at IS NOT NULL AS disabled
         FROM scanning_centres WHERE login = $1`,
      [login],
    );
    return row
      ? { centreId: row.centre_id, passwordHash: row.password_hash, disabled: row.disabled }
      : null;
  }
}
