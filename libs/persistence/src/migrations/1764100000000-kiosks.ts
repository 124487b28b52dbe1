import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Kiosks1764100000000 implements MigrationInterface {
  name = 'Kiosks1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // The secret is an HMAC key the gateway must read back, so it is stored encrypted (AES-256-GCM
    // under KIOSK_SECRET_KEY), never in the clear; see "Credentials and secrets" in
    // docs/operations.md.
    await q.query(`
      CREATE TABLE kiosks (
        kiosk_id varchar(64) PRIMARY KEY CHECK (kiosk_id ~ '^[A-Za-z0-9._-]{1,64}$'),
        sealed_secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        secret_issued_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Nonces are shared by every gateway instance through this table; rows are useless once the
    // request they came with is outside the clock window, and are purged after expires_at.
    await q.query(`
      CREATE TABLE kiosk_nonces (
        kiosk_id varchar(64) NOT NULL,
        nonce varchar(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (kiosk_id, nonce)
      )`);
    await q.query(`CREATE INDEX kiosk_nonces_expires_idx ON kiosk_nonces (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE kiosk_nonces`);
    await q.query(`DROP TABLE kiosks`);
  }
}
