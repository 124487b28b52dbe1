import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PartnerPendingReleaseOrder1765190000000 implements MigrationInterface {
  name = 'PartnerPendingReleaseOrder1765190000000';

  async up(q: QueryRunner): Promise<void> {
    // Our readings pending for the partner are released in chunks in the order (pending since,
    // read at, submission id). With the reading's time on the pending row, an index in that order
    // on the releasable rows lets a chunk be locked by reading that chunk only: through a join to
    // `readings`, every chunk sorted all releasable rows (about 9 s a chunk with 1,000,000 made
    // releasable by one import, close to the statement timeout). A pending row has its reading
    // (readings are never deleted); one that has not could never be released, and is dropped.
    await q.query(`ALTER TABLE partner_outbound_pending ADD COLUMN read_at timestamptz`);
    await q.query(`
      UPDATE partner_outbound_pending p SET read_at = r.read_at
        FROM readings r WHERE r.submission_id = p.submission_id`);
    await q.query(`DELETE FROM partner_outbound_pending WHERE read_at IS NULL`);
    // The release before this one, still running while a deployment rolls, writes pending rows
    // without the reading's time: it is filled in from the reading, so that release goes on
    // keeping readings pending instead of failing on the NOT NULL (which it would not retry).
    await q.query(`
      CREATE FUNCTION partner_outbound_pending_read_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.read_at := COALESCE(NEW.read_at,
          (SELECT r.read_at FROM readings r WHERE r.submission_id = NEW.submission_id));
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER partner_outbound_pending_read_at BEFORE INSERT ON partner_outbound_pending
        FOR EACH ROW WHEN (NEW.read_at IS NULL) EXECUTE FUNCTION partner_outbound_pending_read_at()`);
    await q.query(`ALTER TABLE partner_outbound_pending ALTER COLUMN read_at SET NOT NULL`);
    await q.query(`DROP INDEX partner_outbound_pending_mapped_idx`);
    await q.query(
      `CREATE INDEX partner_outbound_pending_release_idx
          ON partner_outbound_pending (pending_since, read_at, submission_id) WHERE mapped`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER partner_outbound_pending_read_at ON partner_outbound_pending`);
    await q.query(`DROP FUNCTION partner_outbound_pending_read_at()`);
    await q.query(`DROP INDEX partner_outbound_pending_release_idx`);
    await q.query(
      `CREATE INDEX partner_outbound_pending_mapped_idx ON partner_outbound_pending (pending_since)
        WHERE mapped`,
    );
    await q.query(`ALTER TABLE partner_outbound_pending DROP COLUMN read_at`);
  }
}
