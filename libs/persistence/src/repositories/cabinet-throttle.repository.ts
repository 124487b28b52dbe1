import type { DataSource } from 'typeorm';

/** Events the cabinet's rate limits count, shared by every instance through the database. */
export class CabinetThrottleRepository {
  constructor(private readonly db: DataSource) {}

  async record(scope: string, keyHash: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO cabinet_throttle_events (scope, key_hash, occurred_at) VALUES ($1, $2, $3)`,
      [scope, keyHash, at],
    );
  }

  /** When the key's events of this scope happened, from `since` on. */
  async since(scope: string, keyHash: string, since: Date): Promise<Date[]> {
    const rows: { occurred_at: Date }[] = await this.db.query(
      `SELECT occurred_at FROM cabinet_throttle_events WHERE scope = $1 AND key_hash = $2 AND occurred_at > $3`,
      [scope, keyHash, since],
    );
    return rows.map((r) => r.occurred_at);
  }

  async purge(before: Date): Promise<number> {
    const [, count] = await this.db.query(
      `DELETE FROM cabinet_throttle_events WHERE occurred_at < $1`,
      [before],
    );
    return count;
  }
}
