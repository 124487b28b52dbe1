import type { IssuedCode } from '@gw/domain';
import { type Changed, queryable, type Transaction } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** What a code proves when it is entered (the column's CHECK constraint). */
export type CodePurpose = 'registration' | 'sign_in';

/** One attempt counted against a code that could still be tried, with the hash to compare. */
export interface CodeAttempt {
  id: string;
  codeHash: string;
  attempts: number;
}

/** One-time codes, kept as HMACs. Only the latest code of a purpose and subject counts. */
export class OneTimeCodeRepository {
  constructor(private readonly db: DataSource) {}

  async issue(code: {
    purpose: CodePurpose;
    subject: string;
    codeHash: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO one_time_codes (purpose, subject, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [code.purpose, code.subject, code.codeHash, code.createdAt, code.expiresAt],
    );
  }

  /**
   * Spends one attempt on the subject's latest code when it is unused, unexpired and has attempts
   * left, in one statement, so concurrent guesses cannot exceed the limit; null when it cannot be tried.
   */
  async attempt(
    purpose: CodePurpose,
    subject: string,
    now: Date,
    maxAttempts: number,
  ): Promise<CodeAttempt | null> {
    const [rows]: Changed<{ id: string; code_hash: string; attempts: number }> =
      await this.db.query(
        `UPDATE one_time_codes SET attempts = attempts + 1
        WHERE id = (SELECT max(id) FROM one_time_codes WHERE purpose = $1 AND subject = $2)
          AND used_at IS NULL AND expires_at > $3 AND attempts < $4
        RETURNING id::text, code_hash, attempts`,
        [purpose, subject, now, maxAttempts],
      );
    const row = rows[0];
    return row ? { id: row.id, codeHash: row.code_hash, attempts: row.attempts } : null;
  }

  async latest(purpose: CodePurpose, subject: string): Promise<IssuedCode | null> {
    const [row]: { expires_at: Date; attempts: number; used_at: Date | null }[] =
      await this.db.query(
        `SELECT expires_at, attempts, used_at FROM one_time_codes
        WHERE purpose = $1 AND subject = $2 ORDER BY id DESC LIMIT 1`,
        [purpose, subject],
      );
    return row ? { expiresAt: row.expires_at, attempts: row.attempts, usedAt: row.used_at } : null;
  }

  /** Marks the code used; false when someone used it first. */
  async consume(id: string, now: Date, tx?: Transaction): Promise<boolean> {
    const [rows]: Changed = await queryable(this.db, tx).query(
      `UPDATE one_time_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL RETURNING id`,
      [id, now],
    );
    return rows.length > 0;
  }

  async purge(expiredBefore: Date): Promise<number> {
    const [, count]: Changed = await this.db.query(
      `DELETE FROM one_time_codes WHERE expires_at < $1`,
      [expiredBefore],
    );
    return count;
  }
}
