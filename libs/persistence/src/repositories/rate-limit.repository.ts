import type { DataSource } from 'typeorm';
import type { Changed } from '../transaction';

export interface CountedAttempt {
  /** Attempts in the window, this one included. */
  count: number;
  /** When the attempt before this one was counted; null for the first of the window. */
  previousAt: Date | null;
  /** When this attempt was counted. */
  at: Date;
  /** When the window the attempt was counted in ends. */
  windowEnd: Date;
}

/** The database's instant moved by the offset in milliseconds that `param` holds. */
const shiftedNow = (param: string) => `statement_timestamp() + ${param} * interval '1 millisecond'`;

/**
 * Fixed-window attempt counters shared by every replica (`rate_limit_counters`). Every instant in
 * them is the database's `statement_timestamp()` moved by `offsetMs` (see `RateLimiter`).
 */
export class RateLimitRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Counts one attempt in the fixed window of `windowMs` its instant falls in and returns the
   * count, in one statement: the row lock of the upsert orders concurrent attempts, so each sees a
   * different count.
   */
  async count(
    scope: string,
    keyHash: string,
    windowMs: number,
    offsetMs: number,
  ): Promise<CountedAttempt> {
    const rows: { count: number; previous_at: Date | null; at: Date; window_end: Date }[] =
      await this.db.query(
        `WITH attempt AS (
           SELECT at, date_bin(span, at, 'epoch') AS start, span
             FROM (SELECT ${shiftedNow('$4')} AS at, $3 * interval '1 millisecond' AS span) now
         )
         INSERT INTO rate_limit_counters AS c
           (scope, key_hash, window_start, count, last_at, previous_at, expires_at)
         SELECT $1, $2, start, 1, at, NULL, start + span FROM attempt
         ON CONFLICT (scope, key_hash, window_start) DO UPDATE
           SET count = c.count + 1, previous_at = c.last_at, last_at = EXCLUDED.last_at
         RETURNING count, previous_at, last_at AS at, expires_at AS window_end`,
        [scope, keyHash, windowMs, offsetMs],
      );
    const [row] = rows;
    return { count: row.count, previousAt: row.previous_at, at: row.at, windowEnd: row.window_end };
  }

  async reset(scope: string, keyHash: string): Promise<void> {
    await this.db.query(`DELETE FROM rate_limit_counters WHERE scope = $1 AND key_hash = $2`, [
      scope,
      keyHash,
    ]);
  }

  /** Deletes the counters whose window had ended at the database's instant moved by `offsetMs`. */
  async purge(offsetMs: number): Promise<number> {
    const [, count]: Changed = await this.db.query(
      `DELETE FROM rate_limit_counters WHERE expires_at < ${shiftedNow('$1')}`,
      [offsetMs],
    );
    return count;
  }
}
