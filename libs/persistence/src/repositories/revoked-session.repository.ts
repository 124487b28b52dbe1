import { isUuid } from '@gw/contracts';
import type { DataSource } from 'typeorm';
import type { Changed } from '../transaction';

export type SessionRealm = 'operator' | 'resident';

/**
 * Sessions ended by logging out, shared by every replica. Looked up on every authenticated request
 * (no cache), so a logout holds everywhere as soon as it has answered.
 */
export class RevokedSessionRepository {
  constructor(private readonly db: DataSource) {}

  /** Ends one session; ending it again changes nothing. */
  async revoke(realm: SessionRealm, sessionId: string, expiresAt: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO revoked_sessions (session_id, realm, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (session_id) DO NOTHING`,
      [sessionId, realm, expiresAt],
    );
  }

  /** Whether the session was ended; an id that is not a UUID counts as ended (fail closed). */
  async isRevoked(sessionId: string): Promise<boolean> {
    if (!isUuid(sessionId)) return true;
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM revoked_sessions WHERE session_id = $1',
      [sessionId],
    );
    return rows.length > 0;
  }

  /**
   * Whether a session still holds: its holder is still in the token's session epoch (`inEpoch`,
   * looked up at the same time) and it was not logged out.
   */
  async holds(sessionId: string, inEpoch: Promise<boolean>): Promise<boolean> {
    const [current, revoked] = await Promise.all([inEpoch, this.isRevoked(sessionId)]);
    return current && !revoked;
  }

  /** Forgets revocations whose tokens have expired by now: they are refused for that already. */
  async purgeExpired(now: Date): Promise<number> {
    const [, count]: Changed = await this.db.query(
      'DELETE FROM revoked_sessions WHERE expires_at < $1',
      [now],
    );
    return count;
  }
}
