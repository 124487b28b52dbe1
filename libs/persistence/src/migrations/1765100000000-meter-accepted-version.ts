import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MeterAcceptedVersion1765100000000 implements MigrationInterface {
  name = 'MeterAcceptedVersion1765100000000';

  async up(q: QueryRunner): Promise<void> {
    // A meter's accepted readings have a version: every statement that inserts, revises, moves
    // or deletes an accepted reading (before or after) adds one to the version of each meter it
    // touched, in the same transaction. Writers compare it under the meter's row lock instead of
    // counting the meter's accepted readings again. Pages written from now on keep room for the
    // bump to stay a heap-only update.
    await q.query(`ALTER TABLE meters ADD COLUMN accepted_version bigint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE meters SET (fillfactor = 90)`);
    await q.query(`
      CREATE FUNCTION bump_accepted_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE meters SET accepted_version = accepted_version + 1
           WHERE serial IN (SELECT meter_serial FROM new_readings WHERE status = 'accepted');
        ELSIF TG_OP = 'DELETE' THEN
          UPDATE meters SET accepted_version = accepted_version + 1
           WHERE serial IN (SELECT meter_serial FROM old_readings WHERE status = 'accepted');
        ELSE
          UPDATE meters SET accepted_version = accepted_version + 1
           WHERE serial IN (SELECT meter_serial FROM new_readings WHERE status = 'accepted'
                            UNION SELECT meter_serial FROM old_readings WHERE status = 'accepted');
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER readings_bump_accepted_version_on_insert
        AFTER INSERT ON readings REFERENCING NEW TABLE AS new_readings
        FOR EACH STATEMENT EXECUTE FUNCTION bump_accepted_version()`);
    await q.query(`
      CREATE TRIGGER readings_bump_accepted_version_on_update
        AFTER UPDATE ON readings REFERENCING OLD TABLE AS old_readings NEW TABLE AS new_readings
        FOR EACH STATEMENT EXECUTE FUNCTION bump_accepted_version()`);
    await q.query(`
      CREATE TRIGGER readings_bump_accepted_version_on_delete
        AFTER DELETE ON readings REFERENCING OLD TABLE AS old_readings
        FOR EACH STATEMENT EXECUTE FUNCTION bump_accepted_version()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete'])
      await q.query(`DROP TRIGGER readings_bump_accepted_version_on_${event} ON readings`);
    await q.query(`DROP FUNCTION bump_accepted_version()`);
    await q.query(`ALTER TABLE meters RESET (fillfactor)`);
    await q.query(`ALTER TABLE meters DROP COLUMN accepted_version`);
  }
}
