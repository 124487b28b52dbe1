import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SessionRevocation1764920000000 implements MigrationInterface {
  name = 'SessionRevocation1764920000000';

  async up(q: QueryRunner): Promise<void> {
    // Every operator and resident token carries a random session id; logging out writes it here,
    // and the guards of every replica refuse it from then on. A row is only needed until the
    // token would have expired anyway, so the retention sweep deletes it after `expires_at`.
    await q.query(`
      CREATE TABLE revoked_sessions (
        session_id uuid PRIMARY KEY,
        realm varchar(16) NOT NULL CHECK (realm IN ('operator', 'resident')),
        revoked_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX revoked_sessions_expires_idx ON revoked_sessions (expires_at)`);
    // Residents' tokens carry the epoch they were issued in, as operators' do: `ctl resident
    // revoke` moves the resident to the next one, which ends every session issued before.
    await q.query(`ALTER TABLE residents ADD COLUMN session_epoch integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE residents DROP COLUMN session_epoch`);
    await q.query(`DROP TABLE revoked_sessions`);
  }
}
