import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CabinetSubmissionKeys1765175000000 implements MigrationInterface {
  name = 'CabinetSubmissionKeys1765175000000';

  async up(q: QueryRunner): Promise<void> {
    // The submissions of the first request a resident sent with an Idempotency-Key for an account:
    // a later request with that key and the same readings is answered with them, one with others
    // is refused.
    await q.query(`
      CREATE TABLE cabinet_submission_keys (
        resident_id uuid NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
        account_number varchar(10) NOT NULL,
        idempotency_key varchar(64) NOT NULL,
        submissions jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (resident_id, account_number, idempotency_key)
      )`);
    // Kept a week (the cabinet's retention sweep): long enough for any retry of a form.
    await q.query(
      `CREATE INDEX cabinet_submission_keys_created_idx ON cabinet_submission_keys (created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cabinet_submission_keys`);
  }
}
