import type { DataSource } from 'typeorm';
import type { Changed } from '../transaction';

export interface CountedAttempt {
  /** Attempts in the window, this one included. */
  count: number;
  /** When the attempt before this one was counted; null for the first of the window. */
  previousAt: Date | null;
}

/** Fixed-window attempt counters shared by every replica (`rate_limit_counters`). */
export class RateLimitRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Counts one attempt and returns the count, in one statement: the row lock of the upsert orders
   * concurrent attempts, so each sees a different count.
   */
  async count(
    scope: string,
    keyHash: string,
    windowStart: Date,
    expiresAt: Date,
    at: Date,
  ): Promise<CountedAttempt> {
    const rows: { count: number; previous_at: Date | null }[] = await this.db.query(
      `INSERT INTO rate_limit_counters AS c
         (scope, key_hash, window_start, count, last_at, previous_at, expires_at)
       VALUES ($1, $2, $3, 1, $4, NULL, $5)
       ON CONFLICT (scope, key_hash, window_start) DO UPDATE
         SET count = c.count + 1, previous_at = c.last_at, last_at = EXCLUDED.last_at
       RETURNING count, previous_at`,
      [scope, keyHash, windowStart, at, expiresAt],
    );
    return { count: rows[0].count, previousAt: rows[0].previous_at };
  }

  async reset(scope: string, keyHash: string): Promise<void> {
    await this.db.query(`DELETE FROM rate_limit_counters WHERE scope = $1 AND key_hash = $2`, [
      scope,
      keyHash,
    ]);
  }

  async purge(before: Date): Promise<number> {
    const [, count]: Changed = await this.db.query(
      `DELETE FROM rate_limit_counters WHERE expires_at < $1`,
      [before],
    );
    return count;
  }
}
