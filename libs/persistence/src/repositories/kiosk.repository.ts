import type { DataSource } from 'typeorm';

/** Kiosks, their sealed secrets and the nonces they have used. */
export class KioskRepository {
  constructor(private readonly db: DataSource) {}

  /** Creates the kiosk or replaces its secret (the old one stops working). */
  async saveSecret(kioskId: string, sealedSecret: string): Promise<void> {
    await this.db.query(
      `INSERT INTO kiosks (kiosk_id, sealed_secret) VALUES ($1, $2)
       ON CONFLICT (kiosk_id) DO UPDATE SET sealed_secret = EXCLUDED.sealed_secret, secret_issued_at = now()`,
      [kioskId, sealedSecret],
    );
  }

  async findSealedSecret(kioskId: string): Promise<string | null> {
    const [row] = await this.db.query('SELECT sealed_secret FROM kiosks WHERE kiosk_id = $1', [
      kioskId,
    ]);
    return row?.sealed_secret ?? null;
  }

  /**
   * Records a nonce unless the kiosk used it before and it has not expired yet, in one statement,
   * so two gateway instances racing on a replay cannot both win. True when the nonce was fresh.
   */
  async claimNonce(kioskId: string, nonce: string, now: Date, expiresAt: Date): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO kiosk_nonces AS n (kiosk_id, nonce, expires_at) VALUES ($1, $2, $4)
       ON CONFLICT (kiosk_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE n.expires_at <= $3
       RETURNING 1`,
      [kioskId, nonce, now, expiresAt],
    );
    return rows.length === 1;
  }

  /** Deletes nonces that can no longer be replayed; returns how many. */
  async purgeNonces(now: Date): Promise<number> {
    const [, count] = await this.db.query('DELETE FROM kiosk_nonces WHERE expires_at <= $1', [now]);
    return count;
  }
}
