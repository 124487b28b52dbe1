import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ArshinVerifications1765010000000 implements MigrationInterface {
  name = 'ArshinVerifications1765010000000';

  async up(q: QueryRunner): Promise<void> {
    // The meter type's number in the Federal register of approved types (registry column
    // `type_number`): Arshin is asked for serial and type when it is known.
    await q.query(`ALTER TABLE meters ADD COLUMN type_number varchar(16)`);
    // A verification comes from the registry, an operator or Arshin. An Arshin record carries its
    // id, the verifying organisation and document, and whether the meter was found fit; an unfit
    // record has no due date (and no interval: Arshin gives dates, not intervals).
    await q.query(`
      ALTER TABLE meter_verifications
        ADD COLUMN source varchar(16),
        ADD COLUMN vri_id varchar(64),
        ADD COLUMN org_title text,
        ADD COLUMN result_docnum varchar(128),
        ADD COLUMN applicable boolean NOT NULL DEFAULT true,
        ALTER COLUMN due_on DROP NOT NULL,
        ALTER COLUMN interval_months DROP NOT NULL`);
    await q.query(
      `UPDATE meter_verifications SET source = CASE WHEN recorded_by = 'registry' THEN 'registry' ELSE 'operator' END`,
    );
    await q.query(`
      ALTER TABLE meter_verifications
        ALTER COLUMN source SET NOT NULL,
        ADD CONSTRAINT meter_verifications_source CHECK (source IN ('registry', 'operator', 'arshin')),
        ADD CONSTRAINT meter_verifications_arshin_id CHECK ((source = 'arshin') = (vri_id IS NOT NULL)),
        ADD CONSTRAINT meter_verifications_due_when_fit CHECK (applicable = (due_on IS NOT NULL)),
        ADD CONSTRAINT meter_verifications_vri_id UNIQUE (vri_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM meter_verifications WHERE NOT applicable`);
    await q.query(
      `UPDATE meter_verifications SET interval_months = 1 WHERE interval_months IS NULL`,
    );
    await q.query(`
      ALTER TABLE meter_verifications
        DROP CONSTRAINT meter_verifications_vri_id,
        DROP CONSTRAINT meter_verifications_due_when_fit,
        DROP CONSTRAINT meter_verifications_arshin_id,
        DROP CONSTRAINT meter_verifications_source,
        ALTER COLUMN due_on SET NOT NULL,
        ALTER COLUMN interval_months SET NOT NULL,
        DROP COLUMN applicable,
        DROP COLUMN result_docnum,
        DROP COLUMN org_title,
        DROP COLUMN vri_id,
        DROP COLUMN source`);
    await q.query(`ALTER TABLE meters DROP COLUMN type_number`);
  }
}
