import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DlqReplays1764930000000 implements MigrationInterface {
  name = 'DlqReplays1764930000000';

  async up(q: QueryRunner): Promise<void> {
    // Each dead letter `ctl dlq replay` has re-published, by its place in the DLQ: a second replay
    // of the same span skips it. Written in the transaction that publishes it, with the audit entry.
    await q.query(`
      CREATE TABLE dlq_replays (
        dlq_topic varchar(249) NOT NULL,
        dlq_partition integer NOT NULL,
        dlq_offset bigint NOT NULL,
        target_topic varchar(249) NOT NULL,
        replayed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dlq_topic, dlq_partition, dlq_offset)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dlq_replays`);
  }
}
