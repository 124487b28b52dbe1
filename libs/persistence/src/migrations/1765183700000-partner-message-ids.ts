import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PartnerMessageIds1765183700000 implements MigrationInterface {
  name = 'PartnerMessageIds1765183700000';

  async up(q: QueryRunner): Promise<void> {
    // What each partner msgId became when it was first published: the meter it was mapped to then
    // and when it reached us. A msgId sent again is published as that same submission whatever
    // the cross-reference says by then, so a re-pointed pair never stores it a second time on
    // another meter (contract 7.5, "redelivery stores nothing twice"). Kept for the feed's
    // retention, well beyond the topics' own.
    await q.query(`
      CREATE TABLE partner_messages (
        msg_id varchar(256) PRIMARY KEY,
        submission_id uuid NOT NULL,
        account_number varchar(64) NOT NULL,
        serial varchar(64) NOT NULL,
        received_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX partner_messages_recorded_idx ON partner_messages (recorded_at)`);
    // The partner readings stored so far, the first stored of a msgId where there are several;
    // the purge trims those decided before the retention.
    await q.query(`
      INSERT INTO partner_messages (msg_id, submission_id, account_number, serial, received_at, recorded_at)
      SELECT DISTINCT ON (source_ref) source_ref, submission_id, account_number, meter_serial, received_at, decided_at
        FROM readings
       WHERE channel = 'mosenergosbyt' AND source_id = 'mosenergosbyt'
       ORDER BY source_ref, decided_at, submission_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE partner_messages`);
  }
}
