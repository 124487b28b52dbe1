import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The functions of the estimate triggers, with the moment each gives its message as `at`. */
const supersede = (at: string) => `
  CREATE OR REPLACE FUNCTION supersede_estimates() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE meter_estimates e
       SET superseded_by = a.submission_id, superseded_at = ${at}
      FROM (SELECT DISTINCT ON (meter_serial, billing_period) meter_serial, billing_period, submission_id
              FROM written_readings
             WHERE status = 'accepted' AND billing_period IS NOT NULL
             ORDER BY meter_serial, billing_period, read_at, submission_id) a
     WHERE e.meter_serial = a.meter_serial AND e.billing_period = a.billing_period
       AND e.superseded_by IS NULL;
    RETURN NULL;
  END $$`;

const reinstate = (at: string) => `
  CREATE OR REPLACE FUNCTION reinstate_estimates() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM old_readings WHERE status = 'accepted' AND billing_period IS NOT NULL) THEN
      RETURN NULL;
    END IF;
    UPDATE meter_estimates e
       SET superseded_by = k.remaining,
           superseded_at = CASE WHEN k.remaining IS NULL THEN NULL ELSE e.superseded_at END,
           superseding_published_at =
             CASE WHEN k.remaining IS NULL THEN NULL ELSE e.superseding_published_at END,
           decided_at = CASE WHEN k.remaining IS NULL THEN ${at} ELSE e.decided_at END,
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
  END $$`;

export class EstimateMessagesInOrder1765160000000 implements MigrationInterface {
  name = 'EstimateMessagesInOrder1765160000000';

  async up(q: QueryRunner): Promise<void> {
    // Per estimate id the message with the latest decidedAt is in force, but an estimate's
    // decided_at is the estimating host's clock and the triggers' moments the database's: a host
    // running ahead would leave the estimate in force beside the reading that replaced it. Each
    // message is therefore at least a millisecond (the messages' precision) after the one it
    // replaces.
    await q.query(
      supersede(`greatest(clock_timestamp(), e.decided_at + interval '1 millisecond')`),
    );
    await q.query(
      reinstate(`greatest(clock_timestamp(), e.superseded_at + interval '1 millisecond')`),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(supersede('clock_timestamp()'));
    await q.query(reinstate('clock_timestamp()'));
  }
}
