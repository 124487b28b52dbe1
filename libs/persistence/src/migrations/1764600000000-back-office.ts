import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BackOffice1764600000000 implements MigrationInterface {
  name = 'BackOffice1764600000000';

  async up(q: QueryRunner): Promise<void> {
    // A review item is the reading itself (status needs_review); its id is the submissionId. A claim
    // row exists only while an operator holds the item, so "who works on what" is one lookup.
    await q.query(`
      CREATE TABLE review_claims (
        submission_id uuid PRIMARY KEY REFERENCES readings (submission_id),
        claimed_by varchar(64) NOT NULL,
        claimed_at timestamptz NOT NULL,
        claimed_until timestamptz NOT NULL
      )`);
    // The operator's decision next to the processor's: why it was in review, what was submitted and
    // what the operator changed. The reading row itself carries the decision that counts.
    await q.query(`
      CREATE TABLE review_decisions (
        submission_id uuid PRIMARY KEY REFERENCES readings (submission_id),
        decision varchar(8) NOT NULL CHECK (decision IN ('approved', 'rejected')),
        decided_by varchar(64) NOT NULL,
        decided_at timestamptz NOT NULL,
        comment text NOT NULL,
        review_reasons text[] NOT NULL,
        submitted_values jsonb NOT NULL,
        corrected_values jsonb
      )`);
    // The queue is small next to the table: a partial index keeps listing it cheap at any size.
    await q.query(
      `CREATE INDEX readings_review_queue_idx ON readings (received_at) WHERE status = 'needs_review'`,
    );
    // Channel statistics count by the day a reading was received. Readings arrive roughly in
    // received_at order, so a BRIN index finds a month's range at a fraction of a B-tree's upkeep
    // on the processor's insert path.
    await q.query(`CREATE INDEX readings_received_idx ON readings USING brin (received_at)`);
    // Outcomes of operator decisions are written here in the decision's transaction and relayed to
    // Kafka afterwards (transactional outbox), so Kafka never tells what the database does not hold.
    await q.query(`
      CREATE TABLE outcome_outbox (
        id bigserial PRIMARY KEY,
        submission_id uuid NOT NULL,
        account_number varchar(64) NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX outcome_outbox_pending_idx ON outcome_outbox (id) WHERE published_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        operator_login varchar(64) NOT NULL,
        operator_role varchar(16) NOT NULL,
        action varchar(48) NOT NULL,
        subject varchar(128) NOT NULL,
        before jsonb,
        after jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
    // Append-only for everyone, the table owner included (REVOKE alone does not bind the owner).
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    await q.query(`DROP TABLE outcome_outbox`);
    await q.query(`DROP INDEX readings_received_idx`);
    await q.query(`DROP INDEX readings_review_queue_idx`);
    await q.query(`DROP TABLE review_decisions`);
    await q.query(`DROP TABLE review_claims`);
  }
}
