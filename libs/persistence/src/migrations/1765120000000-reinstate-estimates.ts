import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReinstateEstimates1765120000000 implements MigrationInterface {
  name = 'ReinstateEstimates1765120000000';

  async up(q: QueryRunner): Promise<void> {
    // A superseded estimate is in force again once its period has no accepted reading of the
    // meter, whatever took the readings out of `accepted` (a revalidation, an operator's
    // decision, a reading moved to another meter): decided anew and unpublished, so the relay
    // publishes its own message again, and the next accepted reading supersedes it as the first
    // did. While another reading of the period stays accepted, the estimate stays superseded by
    // the earliest read of them. Once per UPDATE statement, like the supersede trigger; a statement
    // that took no reading out of `accepted` (the processor only inserts) stops at the first check.
    await q.query(`
      CREATE FUNCTION reinstate_estimates() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM old_readings WHERE status = 'accepted' AND billing_period IS NOT NULL) THEN
          RETURN NULL;
        END IF;
        UPDATE meter_estimates e
           SET superseded_by = k.remaining,
               superseded_at = CASE WHEN k.remaining IS NULL THEN NULL ELSE e.superseded_at END,
               superseding_published_at =
                 CASE WHEN k.remaining IS NULL THEN NULL ELSE e.superseding_published_at END,
               decided_at = CASE WHEN k.remaining IS NULL THEN clock_timestamp() ELSE e.decided_at END,
               published_at = CASE WHEN k.remaining IS NULL THEN NULL ELSE e.published_at END
          FROM (SELECT l.meter_serial, l.billing_period,
                       (SELECT r.submission_id FROM readings r
                         WHERE r.meter_serial = l.meter_serial AND r.billing_period = l.billing_period
                           AND r.status = 'accepted'
                         ORDER BY r.read_at, r.submission_id LIMIT 1) AS remaining
                  FROM (SELECT DISTINCT o.meter_serial, o.billing_period
                          FROM old_readings o JOIN new_readings n ON n.submission_id = o.submission_id
                         WHERE o.status = 'accepted' AND o.billing_period IS NOT NULL
                           AND (n.status <> 'accepted' OR n.meter_serial IS DISTINCT FROM o.meter_serial
                                OR n.billing_period IS DISTINCT FROM o.billing_period)) l) k
         WHERE e.meter_serial = k.meter_serial AND e.billing_period = k.billing_period
           AND e.superseded_by IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM readings r
                            WHERE r.submission_id = e.superseded_by AND r.status = 'accepted'
                              AND r.meter_serial = e.meter_serial AND r.billing_period = e.billing_period);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER readings_reinstate_estimates
        AFTER UPDATE ON readings REFERENCING OLD TABLE AS old_readings NEW TABLE AS new_readings
        FOR EACH STATEMENT EXECUTE FUNCTION reinstate_estimates()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER readings_reinstate_estimates ON readings`);
    await q.query(`DROP FUNCTION reinstate_estimates()`);
  }
}
