import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TerminalGateway1764200000000 implements MigrationInterface {
  name = 'TerminalGateway1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE terminals (
        terminal_id varchar(64) PRIMARY KEY CHECK (terminal_id ~ '^[A-Za-z0-9._-]{1,64}$'),
        login varchar(64) NOT NULL UNIQUE,
        password_hash text NOT NULL,
        allowed_ips text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One row per (terminal, txn_id): the idempotency record of a pay. `submissions` keeps the exact
    // messages, so completing a half-done pay re-sends what was built the first time.
    await q.query(`
      CREATE TABLE terminal_txns (
        terminal_id varchar(64) NOT NULL REFERENCES terminals (terminal_id),
        txn_id varchar(20) NOT NULL CHECK (txn_id ~ '^[0-9]{1,20}$'),
        prv_txn bigserial UNIQUE,
        params_hash char(64) NOT NULL,
        account_number varchar(10) NOT NULL,
        sum numeric(14, 2) NOT NULL,
        submission_ids uuid[] NOT NULL,
        submissions jsonb NOT NULL,
        status varchar(8) NOT NULL CHECK (status IN ('pending', 'done')),
        attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (terminal_id, txn_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE terminal_txns`);
    await q.query(`DROP TABLE terminals`);
  }
}
