import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764072000000 implements MigrationInterface {
  name = 'InitialSchema1764072000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts (
        account_number varchar(10) PRIMARY KEY CHECK (account_number ~ '^[0-9]{10}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE meters (
        serial varchar(32) PRIMARY KEY,
        account_number varchar(10) NOT NULL REFERENCES accounts (account_number),
        resource varchar(16) NOT NULL CHECK (resource IN ('cold_water', 'hot_water', 'electricity', 'gas', 'heat')),
        zones smallint NOT NULL CHECK (zones BETWEEN 1 AND 3),
        integer_digits smallint NOT NULL CHECK (integer_digits BETWEEN 1 AND 12),
        fraction_digits smallint NOT NULL CHECK (fraction_digits BETWEEN 0 AND 6),
        installed_on date NOT NULL,
        verified_on date NOT NULL,
        verification_interval_months integer NOT NULL CHECK (verification_interval_months > 0),
        verification_due_on date NOT NULL,
        decommissioned_on date,
        initial_t1 numeric(20, 6),
        initial_t2 numeric(20, 6),
        initial_t3 numeric(20, 6),
        initial_on date,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX meters_account_idx ON meters (account_number)`);
    await q.query(`
      CREATE TABLE meter_verifications (
        id bigserial PRIMARY KEY,
        serial varchar(32) NOT NULL REFERENCES meters (serial),
        verified_on date NOT NULL,
        interval_months integer NOT NULL,
        due_on date NOT NULL,
        certificate_no varchar(64),
        recorded_by varchar(64) NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (serial, verified_on)
      )`);
    await q.query(`
      CREATE TABLE readings (
        submission_id uuid PRIMARY KEY,
        channel varchar(24) NOT NULL,
        source_id varchar(128) NOT NULL,
        source_ref varchar(256) NOT NULL,
        account_number varchar(64) NOT NULL,
        meter_serial varchar(64) NOT NULL,
        submitted_values jsonb NOT NULL,
        t1 numeric(20, 6),
        t2 numeric(20, 6),
        t3 numeric(20, 6),
        read_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        confidence numeric(4, 3),
        status varchar(16) NOT NULL CHECK (status IN ('accepted', 'rejected', 'needs_review', 'duplicate')),
        reasons text[] NOT NULL DEFAULT '{}',
        warnings text[] NOT NULL DEFAULT '{}',
        billing_period char(7),
        consumption jsonb NOT NULL DEFAULT '[]',
        consumption_total numeric(20, 6),
        consumption_days double precision,
        decided_at timestamptz NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL
      )`);
    // One index serves both the processor (last accepted reading per meter) and meter histories.
    await q.query(
      `CREATE INDEX readings_meter_read_at_idx ON readings (meter_serial, read_at DESC)`,
    );
    await q.query(`
      CREATE TABLE operators (
        login varchar(64) PRIMARY KEY,
        password_hash text NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('operator', 'supervisor', 'admin')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['operators', 'readings', 'meter_verifications', 'meters', 'accounts']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
