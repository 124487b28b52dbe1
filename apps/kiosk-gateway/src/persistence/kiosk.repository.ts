import type { Changed } from '@gw/persistence';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** A nonce a kiosk signed a request with, to be remembered until `expiresAt`. */
export interface NonceToClaim {
  kioskId: string;
  nonce: string;
  expiresAt: Date;
}

/** Kiosks' sealed secrets (as `ctl kiosk add` stores them) and the nonces they have used. */
export class KioskRepository {
  constructor(private readonly db: DataSource) {}

  /** The secret of an enabled kiosk; null for an unknown or disabled one. */
  async findSealedSecret(kioskId: string): Promise<string | null> {
    const [row]: { sealed_secret: string }[] = await this.db.query(
      'SELECT sealed_secret FROM kiosks WHERE kiosk_id = $1 AND disabled_at IS NULL',
      [kioskId],
    );
    return row?.sealed_secret ?? null;
  }

  /**
   * Records each nonce unless its kiosk used it before and it has not expired yet (`expires_at` at
   * or before `now`), all in one statement, so two gateway instances racing on a replay cannot both
   * win. One answer per claim, in order: true when the nonce was fresh. A nonce claimed twice in
   * one call is fresh at most once, for its first claim. The statement is prepared once per
   * connection: it runs for every kiosk request.
   */
  async claimNonces(claims: NonceToClaim[], now: Date): Promise<boolean[]> {
    const key = (kioskId: string, nonce: string) => `${kioskId} ${nonce}`;
    const keys = claims.map((claim) => key(claim.kioskId, claim.nonce));
    const first = new Map<string, number>();
    keys.forEach((k, i) => {
      if (!first.has(k)) first.set(k, i);
    });
    const unique = [...first.values()].map((i) => claims[i]);
    const pool = (this.db.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query<{ kiosk_id: string; nonce: string }>({
      name: 'claim-kiosk-nonces',
      text: `INSERT INTO kiosk_nonces AS n (kiosk_id, nonce, expires_at)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[])
       ON CONFLICT (kiosk_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE n.expires_at <= $4
       RETURNING kiosk_id, nonce`,
      values: [
        unique.map((c) => c.kioskId),
        unique.map((c) => c.nonce),
        unique.map((c) => c.expiresAt),
        now,
      ],
    });
    const fresh = new Set(rows.map((row) => key(row.kiosk_id, row.nonce)));
    return keys.map((k, i) => first.get(k) === i && fresh.has(k));
  }

  /** Deletes nonces that expired by `cutoff`; returns how many. */
  async purgeNonces(cutoff: Date): Promise<number> {
    const [, count]: Changed = await this.db.query(
      'DELETE FROM kiosk_nonces WHERE expires_at <= $1',
      [cutoff],
    );
    return count;
  }
}
