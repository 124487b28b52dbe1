import { Inject, Injectable } from '@nestjs/common';
import { OperatorRepository, type OperatorRole } from '@gw/persistence';
import { signToken, verifyToken } from '@gw/platform';
import { isOperatorRole } from './operator-role';

/** Who a request acts for, as its token says. */
export interface OperatorPrincipal {
  login: string;
  role: OperatorRole;
}

/** An operator as login finds them: the token also carries their session epoch. */
export interface SessionOperator extends OperatorPrincipal {
  sessionEpoch: number;
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
 * Operator tokens are signed (login, role, session epoch and expiry). Each request also checks that
 * the operator still exists in the token's session epoch: `ctl operator revoke` and a password
 * reset (`ctl operator add` again) move the operator to the next epoch, which ends every session
 * at once, whichever instance issued it. A changed role takes effect at the next login.
 */
@Injectable()
export class OperatorTokens {
  constructor(
    @Inject(TOKEN_SETTINGS) private readonly settings: TokenSettings,
    private readonly operators: OperatorRepository,
  ) {}

  issue(operator: SessionOperator, now = Date.now()): IssuedToken {
    const token = signToken(
      { sub: operator.login, role: operator.role, epoch: operator.sessionEpoch, aud: AUDIENCE },
      this.settings.secret,
      this.settings.ttlSeconds,
      now,
    );
    return {
      token,
      expiresAt: new Date((Math.floor(now / 1000) + this.settings.ttlSeconds) * 1000),
    };
  }

  /**
   * The operator a token stands for; null when it is forged, expired, not ours, names no known
   * role, or its session was ended.
   */
  async verify(token: string, now = Date.now()): Promise<OperatorPrincipal | null> {
    const claims = verifyToken(token, this.settings.secret, now);
    if (!claims || claims.aud !== AUDIENCE || !isOperatorRole(claims.role)) return null;
    if (!Number.isInteger(claims.epoch)) return null;
    if (!(await this.operators.inSessionEpoch(claims.sub, claims.epoch as number))) return null;
    return { login: claims.sub, role: claims.role };
  }
}
