import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing charges and the residents' web cabinet (contract 7.3); retention rules in
 * docs/integrators.md.
 */
export class Cabinet1764300000000 implements MigrationInterface {
  name = 'Cabinet1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // What each payment document charged; a resident proves an account is theirs with one of these.
    await q.query(`
      CREATE TABLE charges (
        account_number varchar(10) NOT NULL CHECK (account_number ~ '^[0-9]{10}$'),
        period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        amount_charged numeric(14, 2) NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_number, period)
      )`);
    // E-mails are stored lower-cased, so the unique index is also the sign-in lookup.
    await q.query(`
      CREATE TABLE residents (
        id uuid PRIMARY KEY,
        email varchar(254) NOT NULL UNIQUE,
        phone varchar(16) NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // Several residents may link one account; the period records which payment document proved it.
    await q.query(`
      CREATE TABLE resident_accounts (
        resident_id uuid NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
        account_number varchar(10) NOT NULL,
        proved_by_period char(7) NOT NULL,
        linked_at timestamptz NOT NULL,
        PRIMARY KEY (resident_id, account_number)
      )`);
    await q.query(
      `CREATE INDEX resident_accounts_account_idx ON resident_accounts (account_number)`,
    );
    // A registration waiting for its e-mailed code; deleted when confirmed or when it goes stale.
    await q.query(`
      CREATE TABLE resident_registrations (
        id uuid PRIMARY KEY,
        account_number varchar(10) NOT NULL,
        period char(7) NOT NULL,
        email varchar(254) NOT NULL,
        phone varchar(16) NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX resident_registrations_created_idx ON resident_registrations (created_at)`,
    );
    // Only an HMAC of each code is kept; the latest code of a subject is the one that counts.
    await q.query(`
      CREATE TABLE one_time_codes (
        id bigserial PRIMARY KEY,
        purpose varchar(16) NOT NULL CHECK (purpose IN ('registration', 'sign_in')),
        subject varchar(64) NOT NULL,
        code_hash varchar(64) NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        attempts smallint NOT NULL DEFAULT 0,
        used_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX one_time_codes_subject_idx ON one_time_codes (purpose, subject, id)`,
    );
    await q.query(`CREATE INDEX one_time_codes_expires_idx ON one_time_codes (expires_at)`);
    // Events counted by the cabinet's rate limits, shared by every instance; keys are HMACs, so
    // neither e-mails nor IP addresses are stored here.
    await q.query(`
      CREATE TABLE cabinet_throttle_events (
        id bigserial PRIMARY KEY,
        scope varchar(32) NOT NULL,
        key_hash varchar(64) NOT NULL,
        occurred_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX cabinet_throttle_events_key_idx ON cabinet_throttle_events (scope, key_hash, occurred_at)`,
    );
    await q.query(
      `CREATE INDEX cabinet_throttle_events_occurred_idx ON cabinet_throttle_events (occurred_at)`,
    );
    // A resident's history lists every reading of their account for a period, from any channel.
    await q.query(
      `CREATE INDEX readings_account_period_idx ON readings (account_number, billing_period)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX readings_account_period_idx`);
    for (const table of [
      'cabinet_throttle_events',
      'one_time_codes',
      'resident_registrations',
      'resident_accounts',
      'residents',
      'charges',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
