import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RevokedSessionRepository } from '@gw/persistence';
import { signToken, verifyToken } from '@gw/platform';
import { CabinetEnv } from '../cabinet.env';
import { Clock } from '../clock';
import { ResidentRepository } from '../persistence/resident.repository';
import { CabinetKeys } from './cabinet-keys';

const RESIDENT = 'resident';

/** One signed-in session of a resident, as its token says. */
export interface ResidentSession {
  residentId: string;
  sessionId: string;
  expiresAt: Date;
}

/**
 * Signed, expiring session tokens of residents: the resident, their session epoch and a random
 * session id. A token holds while the resident is still in that epoch (`ctl resident revoke` moves
 * them on, ending every session) and its session id has not been logged out; both are checked in
 * PostgreSQL on every request, so an ended session is refused by every replica at once.
 */
@Injectable()
export class SessionTokens {
  constructor(
    private readonly keys: CabinetKeys,
    private readonly clock: Clock,
    private readonly env: CabinetEnv,
    private readonly residents: ResidentRepository,
    private readonly revoked: RevokedSessionRepository,
  ) {}

  async issue(residentId: string): Promise<{ token: string; expiresAt: Date }> {
    // A resident deleted in the meantime gets epoch 0 and a token the guard refuses.
    const epoch = (await this.residents.sessionEpoch(residentId)) ?? 0;
    const now = this.clock.now().getTime();
    const ttl = this.env.CABINET_SESSION_TTL_SECONDS;
    const claims = { sub: residentId, typ: RESIDENT, epoch, sid: randomUUID() };
    return {
      token: signToken(claims, this.keys.sessionKeys, ttl, now),
      expiresAt: new Date((Math.floor(now / 1000) + ttl) * 1000),
    };
  }

  /** The session of a valid, unexpired token that was neither logged out nor revoked; null otherwise. */
  async verify(token: string): Promise<ResidentSession | null> {
    const claims = verifyToken(token, this.keys.sessionKeys, this.clock.now().getTime());
    if (claims?.typ !== RESIDENT || !Number.isInteger(claims.epoch)) return null;
    if (typeof claims.sid !== 'string') return null;
    const inEpoch = this.residents.inSessionEpoch(claims.sub, claims.epoch as number);
    if (!(await this.revoked.holds(claims.sid, inEpoch))) return null;
    return {
      residentId: claims.sub,
      sessionId: claims.sid,
      expiresAt: new Date(claims.exp * 1000),
    };
  }

  /** Logs one session out; the resident's other sessions go on. */
  end(session: ResidentSession): Promise<void> {
    return this.revoked.revoke('resident', session.sessionId, session.expiresAt);
  }
}
