import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SlipBatches1764400000000 implements MigrationInterface {
  name = 'SlipBatches1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // The login is kept apart from the centre id so a centre's credentials can change without
    // touching the source id its submissions carry.
    await q.query(`
      CREATE TABLE scanning_centres (
        centre_id varchar(64) PRIMARY KEY CHECK (centre_id ~ '^[A-Za-z0-9._-]{1,64}$'),
        login varchar(64) NOT NULL UNIQUE,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        password_set_at timestamptz NOT NULL DEFAULT now()
      )`);
    // `upload` numbers the uploads of one batch: only the upload holding that number may write,
    // and a re-upload that completes removes the rows the earlier file had and the new one lacks.
    await q.query(`
      CREATE TABLE slip_batches (
        centre_id varchar(64) NOT NULL REFERENCES scanning_centres (centre_id),
        batch_id varchar(64) NOT NULL CHECK (batch_id ~ '^[A-Za-z0-9._-]{1,64}$'),
        upload integer NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('receiving', 'complete', 'interrupted', 'failed')),
        row_count integer NOT NULL DEFAULT 0,
        queued_count integer NOT NULL DEFAULT 0,
        invalid_count integer NOT NULL DEFAULT 0,
        error text,
        received_at timestamptz NOT NULL,
        heartbeat_at timestamptz NOT NULL,
        finished_at timestamptz,
        PRIMARY KEY (centre_id, batch_id)
      )`);
    // One row per line of the file; several rows (the zones of one meter) share a submission.
    await q.query(`
      CREATE TABLE slip_batch_rows (
        centre_id varchar(64) NOT NULL,
        batch_id varchar(64) NOT NULL,
        row_no integer NOT NULL,
        upload integer NOT NULL,
        slip_id varchar(64),
        meter_serial varchar(32),
        zone varchar(2),
        image_ref varchar(512),
        submission_id uuid,
        error text,
        PRIMARY KEY (centre_id, batch_id, row_no),
        FOREIGN KEY (centre_id, batch_id) REFERENCES slip_batches (centre_id, batch_id) ON DELETE CASCADE,
        CHECK ((submission_id IS NULL) <> (error IS NULL))
      )`);
    await q.query(
      `CREATE INDEX slip_batch_rows_submission_idx ON slip_batch_rows (submission_id) WHERE submission_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE slip_batch_rows`);
    await q.query(`DROP TABLE slip_batches`);
    await q.query(`DROP TABLE scanning_centres`);
  }
}
