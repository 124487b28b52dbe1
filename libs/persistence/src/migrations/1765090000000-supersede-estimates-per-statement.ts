import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SupersedeEstimatesPerStatement1765090000000 implements MigrationInterface {
  name = 'SupersedeEstimatesPerStatement1765090000000';

  async up(q: QueryRunner): Promise<void> {
    // The period's estimate is marked superseded once per statement that writes readings, in one
    // set-based update over the rows it wrote, instead of once per accepted row: the processor
    // inserts its batches in one statement each. Where a statement accepts several readings of a
    // meter's period, the earliest read supersedes the estimate.
    await q.query(`DROP TRIGGER readings_supersede_estimate ON readings`);
    await q.query(`DROP FUNCTION supersede_estimate()`);
    await q.query(`
      CREATE FUNCTION supersede_estimates() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE meter_estimates e
           SET superseded_by = a.submission_id, superseded_at = clock_timestamp()
          FROM (SELECT DISTINCT ON (meter_serial, billing_period) meter_serial, billing_period, submission_id
                  FROM written_readings
                 WHERE status = 'accepted' AND billing_period IS NOT NULL
                 ORDER BY meter_serial, billing_period, read_at, submission_id) a
         WHERE e.meter_serial = a.meter_serial AND e.billing_period = a.billing_period
           AND e.superseded_by IS NULL;
        RETURN NULL;
      END $$`);
    for (const event of ['INSERT', 'UPDATE'])
      await q.query(`
        CREATE TRIGGER readings_supersede_estimates_on_${event.toLowerCase()}
          AFTER ${event} ON readings REFERENCING NEW TABLE AS written_readings
          FOR EACH STATEMENT EXECUTE FUNCTION supersede_estimates()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER readings_supersede_estimates_on_insert ON readings`);
    await q.query(`DROP TRIGGER readings_supersede_estimates_on_update ON readings`);
    await q.query(`DROP FUNCTION supersede_estimates()`);
    await q.query(`
      CREATE FUNCTION supersede_estimate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE meter_estimates
           SET superseded_by = NEW.submission_id, superseded_at = clock_timestamp()
         WHERE meter_serial = NEW.meter_serial AND billing_period = NEW.billing_period
           AND superseded_by IS NULL;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER readings_supersede_estimate
        AFTER INSERT OR UPDATE OF status ON readings
        FOR EACH ROW WHEN (NEW.status = 'accepted' AND NEW.billing_period IS NOT NULL)
        EXECUTE FUNCTION supersede_estimate()`);
  }
}
