import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PartnerPendingReleaseMarks1765186400000 implements MigrationInterface {
  name = 'PartnerPendingReleaseMarks1765186400000';

  async up(q: QueryRunner): Promise<void> {
    // The release check of our readings pending for the partner looks only at what changed since
    // its last run: the pending rows and the cross-reference rows each written by a transaction
    // (its id) the last run could not see, found through an index on that id. What it finds
    // releasable is marked, and the releases read the marked rows only, so a check costs what
    // changed and what can be sent, not what is pending (millions where the cross-reference is
    // late). Rows older than this migration have no id; a feed's first check after a start looks
    // at every pending row once.
    await q.query(`ALTER TABLE partner_outbound_pending ADD COLUMN pending_xid xid8`);
    await q.query(
      `ALTER TABLE partner_outbound_pending ALTER COLUMN pending_xid SET DEFAULT pg_current_xact_id()`,
    );
    await q.query(
      `ALTER TABLE partner_outbound_pending ADD COLUMN mapped boolean NOT NULL DEFAULT false`,
    );
    await q.query(
      `CREATE INDEX partner_outbound_pending_xid_idx ON partner_outbound_pending (pending_xid)`,
    );
    await q.query(
      `CREATE INDEX partner_outbound_pending_mapped_idx ON partner_outbound_pending (pending_since)
        WHERE mapped`,
    );
    await q.query(`ALTER TABLE partner_meters ADD COLUMN changed_xid xid8`);
    await q.query(
      `ALTER TABLE partner_meters ALTER COLUMN changed_xid SET DEFAULT pg_current_xact_id()`,
    );
    await q.query(`CREATE INDEX partner_meters_changed_xid_idx ON partner_meters (changed_xid)`);
    // A pair re-pointed to another meter or account is a change too.
    await q.query(`
      CREATE FUNCTION partner_meters_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.changed_xid := pg_current_xact_id();
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER partner_meters_changed BEFORE UPDATE OF account_number, serial ON partner_meters
        FOR EACH ROW
        WHEN (OLD.account_number IS DISTINCT FROM NEW.account_number OR OLD.serial IS DISTINCT FROM NEW.serial)
        EXECUTE FUNCTION partner_meters_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER partner_meters_changed ON partner_meters`);
    await q.query(`DROP FUNCTION partner_meters_changed()`);
    await q.query(`ALTER TABLE partner_meters DROP COLUMN changed_xid`);
    await q.query(`ALTER TABLE partner_outbound_pending DROP COLUMN mapped`);
    await q.query(`ALTER TABLE partner_outbound_pending DROP COLUMN pending_xid`);
  }
}
