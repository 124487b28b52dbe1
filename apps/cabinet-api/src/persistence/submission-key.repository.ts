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
   * the first request with a key wins, also over a request racing it (the insert of the second
   * waits for the first one's to commit).
   */
  async claim(
    key: SubmissionKey,
    submissions: SubmissionMessage[],
    at: Date,
  ): Promise<SubmissionMessage[]> {
    const params = [key.residentId, key.accountNumber, key.idempotencyKey];
    const [claimed]: KeyRow[] = await this.db.query(
      `INSERT INTO cabinet_submission_keys (resident_id, account_number, idempotency_key, submissions, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (resident_id, account_number, idempotency_key) DO NOTHING
       RETURNING submissions`,
      [...params, JSON.stringify(submissions), at],
    );
    if (claimed) return submissions;
    const [first]: KeyRow[] = await this.db.query(
      `SELECT submissions FROM cabinet_submission_keys
        WHERE resident_id = $1 AND account_number = $2 AND idempotency_key = $3`,
      params,
    );
    return first.submissions;
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
