import type { SubmissionMessage } from '@gw/contracts';
import type { Changed } from '@gw/persistence';
import type { DataSource } from 'typeorm';

/** Whose key it is: a resident's Idempotency-Key counts per account. */
export interface SubmissionKey {
  residentId: string;
  accountNumber: string;
  idempotencyKey: string;
}

interface KeyRow {
  submissions: SubmissionMessage[];
}

/** The submissions made under each resident's Idempotency-Key (docs/integrators.md). */
export class SubmissionKeyRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Records `submissions` under the key unless it has some already, and returns the ones it has:
   * the first request with a key wins, also over a request racing it (the second one's statement
   * waits for the first one's insert to commit, then answers its row).
   */
  async claim(
    key: SubmissionKey,
    submissions: SubmissionMessage[],
    at: Date,
  ): Promise<SubmissionMessage[]> {
    // The update keeps the row as it was: it is there so that the statement returns the row it met.
    const [row]: KeyRow[] = await this.db.query(
      `INSERT INTO cabinet_submission_keys (resident_id, account_number, idempotency_key, submissions, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (resident_id, account_number, idempotency_key)
         DO UPDATE SET submissions = cabinet_submission_keys.submissions
       RETURNING submissions`,
      [key.residentId, key.accountNumber, key.idempotencyKey, JSON.stringify(submissions), at],
    );
    return row.submissions;
  }

  /** Forgets the keys first sent before `before`; answers how many. */
  async purge(before: Date): Promise<number> {
    const [, count]: Changed = await this.db.query(
      `DELETE FROM cabinet_submission_keys WHERE created_at < $1`,
      [before],
    );
    return count;
  }
}
