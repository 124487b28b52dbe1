import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RateLimits1764850000000 implements MigrationInterface {
  name = 'RateLimits1764850000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per (scope, key, fixed window): an attempt is counted by one upsert that returns the
    // new count, so concurrent attempts on every replica are counted before any of them is checked.
    await q.query(`
      CREATE TABLE rate_limit_counters (
        scope varchar(40) NOT NULL,
        key_hash char(64) NOT NULL,
        window_start timestamptz NOT NULL,
        count integer NOT NULL,
        last_at timestamptz NOT NULL,
        previous_at timestamptz,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key_hash, window_start)
      )`);
    await q.query(
      `CREATE INDEX rate_limit_counters_expires_idx ON rate_limit_counters (expires_at)`,
    );
    await q.query(`DROP TABLE cabinet_throttle_events`);
  }

  async down(q: QueryRunner): Promise<void> {
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
    await q.query(`DROP TABLE rate_limit_counters`);
  }
}
