import { Inject, Injectable } from '@nestjs/common';
import type { OperatorRole } from '@gw/persistence';
import { signToken, verifyToken } from '@gw/platform';
import { isOperatorRole } from './operator-role';

/** Who a request acts for, as its token says. */
export interface OperatorPrincipal {
  login: string;
  role: OperatorRole;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export interface TokenSettings {
  secret: string;
  ttlSeconds: number;
}

export const TOKEN_SETTINGS = Symbol('TOKEN_SETTINGS');

/** Tokens of other apps signed with the same key are still not back-office tokens. */
const AUDIENCE = 'backoffice';

/**
 * Operator tokens are self-contained (signed login, role and expiry), so read routes need no
 * session lookup; a changed role takes effect at the operator's next login.
 */
@Injectable()
export class OperatorTokens {
  constructor(@Inject(TOKEN_SETTINGS) private readonly settings: TokenSettings) {}

  issue(operator: OperatorPrincipal, now = Date.now()): IssuedToken {
    const token = signToken(
      { sub: operator.login, role: operator.role, aud: AUDIENCE },
      this.settings.secret,
      this.settings.ttlSeconds,
      now,
    );
    return {
      token,
      expiresAt: new Date((Math.floor(now / 1000) + this.settings.ttlSeconds) * 1000),
    };
  }

  /** The operator a token stands for; null when it is forged, expired, not ours or names no known role. */
  verify(token: string, now = Date.now()): OperatorPrincipal | null {
    const claims = verifyToken(token, this.settings.secret, now);
    if (!claims || claims.aud !== AUDIENCE || !isOperatorRole(claims.role)) return null;
    return { login: claims.sub, role: claims.role };
  }
}
