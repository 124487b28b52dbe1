import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Verification reminders (contract section 9), normatives and Decree-354 estimates (section 10). */
export class RemindersAndEstimates1765020000000 implements MigrationInterface {
  name = 'RemindersAndEstimates1765020000000';

  async up(q: QueryRunner): Promise<void> {
    // The reminder job looks meters up by due date every day.
    await q.query(
      `CREATE INDEX meters_due_idx ON meters (verification_due_on) WHERE decommissioned_on IS NULL`,
    );
    // One row per reminder ever decided: the key makes it once per (meter, due date, days left)
    // whatever runs overlap, and the row is the outbox its message is relayed from.
    await q.query(`
      CREATE TABLE verification_reminders (
        meter_serial varchar(32) NOT NULL REFERENCES meters (serial),
        due_on date NOT NULL,
        days_left smallint NOT NULL CHECK (days_left IN (60, 30, 0)),
        account_number varchar(10) NOT NULL,
        resource varchar(16) NOT NULL,
        decided_at timestamptz NOT NULL,
        published_at timestamptz,
        PRIMARY KEY (meter_serial, due_on, days_left)
      )`);
    await q.query(
      `CREATE INDEX verification_reminders_pending_idx ON verification_reminders (decided_at) WHERE published_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX verification_reminders_account_idx ON verification_reminders (account_number, due_on)`,
    );
    // The cabinet mails only recent reminders, so its lookup stays small however many accumulate.
    await q.query(
      `CREATE INDEX verification_reminders_decided_idx ON verification_reminders (decided_at)`,
    );
    // The cabinet's e-mail per reminder and resident: the row is written in the transaction that
    // sends the mail, so a second cabinet instance waits on the key and sends nothing.
    await q.query(`
      CREATE TABLE verification_reminder_mails (
        meter_serial varchar(32) NOT NULL,
        due_on date NOT NULL,
        days_left smallint NOT NULL,
        resident_id uuid NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
        sent_at timestamptz NOT NULL,
        PRIMARY KEY (meter_serial, due_on, days_left, resident_id),
        FOREIGN KEY (meter_serial, due_on, days_left)
          REFERENCES verification_reminders (meter_serial, due_on, days_left)
      )`);
    await q.query(`
      CREATE TABLE normatives (
        account_number varchar(10) NOT NULL CHECK (account_number ~ '^[0-9]{10}$'),
        resource varchar(16) NOT NULL CHECK (resource IN ('cold_water', 'hot_water', 'electricity', 'gas', 'heat')),
        monthly_volume numeric(20, 6) NOT NULL CHECK (monthly_volume >= 0),
        imported_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_number, resource)
      )`);
    // One estimate per meter and period (the id is a function of both); the row is also the outbox
    // of its message and, once an accepted reading replaces it, of the superseding one.
    await q.query(`
      CREATE TABLE meter_estimates (
        estimate_id uuid PRIMARY KEY,
        meter_serial varchar(32) NOT NULL REFERENCES meters (serial),
        billing_period char(7) NOT NULL,
        account_number varchar(10) NOT NULL,
        resource varchar(16) NOT NULL,
        method varchar(16) NOT NULL CHECK (method IN ('average', 'normative', 'normative_raised')),
        consecutive smallint NOT NULL,
        consumption jsonb NOT NULL,
        basis jsonb,
        coefficient numeric(6, 3),
        decided_at timestamptz NOT NULL,
        published_at timestamptz,
        superseded_by uuid,
        superseded_at timestamptz,
        superseding_published_at timestamptz,
        UNIQUE (billing_period, meter_serial)
      )`);
    await q.query(`
      CREATE INDEX meter_estimates_pending_idx ON meter_estimates (decided_at)
        WHERE published_at IS NULL OR (superseded_by IS NOT NULL AND superseding_published_at IS NULL)`);
    // Every path that makes a reading accepted (the processor, an operator's approval, revalidation
    // after a new verification) marks the period's estimate superseded in its own transaction, so
    // no writer can forget it; the relay then publishes the superseding message.
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

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER readings_supersede_estimate ON readings`);
    await q.query(`DROP FUNCTION supersede_estimate()`);
    await q.query(`DROP TABLE meter_estimates`);
    await q.query(`DROP TABLE normatives`);
    await q.query(`DROP TABLE verification_reminder_mails`);
    await q.query(`DROP TABLE verification_reminders`);
    await q.query(`DROP INDEX meters_due_idx`);
  }
}
