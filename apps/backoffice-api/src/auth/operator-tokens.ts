import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type OperatorRole, RevokedSessionRepository, type Transaction } from '@gw/persistence';
import { KeyRing, signToken, verifyToken } from '@gw/platform';
import { OperatorRepository } from '../persistence/operator.repository';
import { isOperatorRole } from './operator-role';

/** Who a request acts for, as its token says. */
export interface OperatorPrincipal {
  login: string;
  role: OperatorRole;
}

/** One signed-in session of an operator: who, and which session (to log it out). */
export interface OperatorSession extends OperatorPrincipal {
  sessionId: string;
  sessionEpoch: number;
  expiresAt: Date;
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
  /** BACKOFFICE_TOKEN_SECRET signs; BACKOFFICE_TOKEN_SECRET_PREVIOUS still verifies. */
  keys: KeyRing;
  ttlSeconds: number;
}

export const TOKEN_SETTINGS = Symbol('TOKEN_SETTINGS');

/** The ring of BACKOFFICE_TOKEN_SECRET and, during a rotation, BACKOFFICE_TOKEN_SECRET_PREVIOUS. */
export function operatorTokenKeys(secret: string, previous?: string): KeyRing {
  return KeyRing.of(secret, previous, (value) => Buffer.from(value, 'utf8'));
}

/** Tokens of other apps signed with the same key are still not back-office tokens. */
const AUDIENCE = 'backoffice';

/**
 * Operator tokens are signed (login, role, session epoch, a random session id and expiry). Each
 * request also checks that the operator still exists in the token's session epoch, and that its
 * session was not logged out: `ctl operator revoke` and a password reset (`ctl operator add`
 * again) move the operator to the next epoch, which ends every session at once; a logout ends one.
 * Both are looked up in PostgreSQL, so they hold on every instance as soon as they are made. A
 * changed role takes effect at the next login.
 */
@Injectable()
export class OperatorTokens {
  constructor(
    @Inject(TOKEN_SETTINGS) private readonly settings: TokenSettings,
    private readonly operators: OperatorRepository,
    private readonly revoked: RevokedSessionRepository,
  ) {}

  issue(operator: SessionOperator): IssuedToken {
    const now = Date.now();
    const token = signToken(
      {
        sub: operator.login,
        role: operator.role,
        epoch: operator.sessionEpoch,
        sid: randomUUID(),
        aud: AUDIENCE,
      },
      this.settings.keys,
      this.settings.ttlSeconds,
      now,
    );
    return {
      token,
      expiresAt: new Date((Math.floor(now / 1000) + this.settings.ttlSeconds) * 1000),
    };
  }

  /**
   * The session a token stands for; null when it is forged, expired, not ours, names no known
   * role, or its session was ended (revoked or logged out).
   */
  async verify(token: string): Promise<OperatorSession | null> {
    const claims = verifyToken(token, this.settings.keys);
    if (!claims || claims.aud !== AUDIENCE || !isOperatorRole(claims.role)) return null;
    if (!Number.isInteger(claims.epoch) || typeof claims.sid !== 'string') return null;
    const session: OperatorSession = {
      login: claims.sub,
      role: claims.role,
      sessionId: claims.sid,
      sessionEpoch: claims.epoch as number,
      expiresAt: new Date(claims.exp * 1000),
    };
    return (await this.holds(session)) ? session : null;
  }

  /**
   * Whether a session admitted earlier still holds, checked as `verify` checks it. In `tx` the
   * operator's row stays share-locked until `tx` ends, so work done in `tx` cannot outlast a
   * revoke or disable: the revoke waits for it, or it sees the revoke.
   */
  holds(session: OperatorSession, tx?: Transaction): Promise<boolean> {
    const { login, sessionEpoch, sessionId } = session;
    return this.revoked.holds(sessionId, this.operators.inSessionEpoch(login, sessionEpoch, tx));
  }

  /** Logs one session out, on every instance; the operator's other sessions go on. */
  end(session: OperatorSession): Promise<void> {
    return this.revoked.revoke('operator', session.sessionId, session.expiresAt);
  }
}
