import { Injectable } from '@nestjs/common';
import { signToken, verifyToken } from '@gw/platform';
import { CabinetEnv } from '../cabinet.env';
import { Clock } from '../clock';
import { CabinetKeys } from './cabinet-keys';

const RESIDENT = 'resident';

/** Signed, expiring session tokens of residents; the token names the resident and nothing else. */
@Injectable()
export class SessionTokens {
  constructor(
    private readonly keys: CabinetKeys,
    private readonly clock: Clock,
    private readonly env: CabinetEnv,
  ) {}

  issue(residentId: string): { token: string; expiresAt: Date } {
    const now = this.clock.now().getTime();
    const ttl = this.env.CABINET_SESSION_TTL_SECONDS;
    return {
      token: signToken({ sub: residentId, typ: RESIDENT }, this.keys.sessionKey, ttl, now),
      expiresAt: new Date((Math.floor(now / 1000) + ttl) * 1000),
    };
  }

  /** The resident id of a valid, unexpired token; null otherwise. */
  residentOf(token: string): string | null {
    const claims = verifyToken(token, this.keys.sessionKey, this.clock.now().getTime());
    return claims?.typ === RESIDENT ? claims.sub : null;
  }
}
