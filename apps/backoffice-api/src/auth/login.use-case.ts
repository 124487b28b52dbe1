import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { type Backoff, toMoscowIso } from '@gw/domain';
import { AuditLogRepository, RateLimiter } from '@gw/persistence';
import {
  addressBlock,
  counter,
  generateSecret,
  hashPassword,
  upgradeWeakHash,
  verifyPassword,
} from '@gw/platform';
import { InvalidCredentialsError, LoginThrottledError } from '../backoffice.errors';
import { OperatorRepository } from '../persistence/operator.repository';
import type { LoginResponseDto } from './login.dto';
import { OperatorTokens } from './operator-tokens';

const logins = counter('backoffice_logins_total', 'Operator logins by result', ['result']);

export const LOGIN_BACKOFF = Symbol('LOGIN_BACKOFF');
/** The HMAC key of the attempt counters' keys (see `loginRunKey`). */
export const LOGIN_RUN_KEY = Symbol('LOGIN_RUN_KEY');

/**
 * Derived from the token secret: the counters of `rate_limit_counters` are stored under HMACs of
 * login and address, so a copy of the table does not tell who tried which login. A new secret
 * starts new counters.
 */
export const loginRunKey = (tokenSecret: string): Buffer =>
  createHmac('sha256', tokenSecret).update('operator-login-attempts').digest();

const SCOPE = 'operator_login';

/**
 * Checks an operator's password, issues a signed, expiring token and logs the sign-in. Attempts
 * are counted per (login, client IP) in PostgreSQL before the password is hashed, and past a few
 * each must wait longer: a guesser is slowed on every replica, while nobody can lock an operator
 * out from another address.
 */
@Injectable()
export class LoginUseCase {
  private unknownLoginHash?: Promise<string>;

  constructor(
    private readonly operators: OperatorRepository,
    private readonly tokens: OperatorTokens,
    private readonly limiter: RateLimiter,
    @Inject(LOGIN_BACKOFF) private readonly backoff: Backoff,
    @Inject(LOGIN_RUN_KEY) private readonly runKey: Buffer,
    private readonly audit: AuditLogRepository,
  ) {}

  async execute(login: string, password: string, clientIp: string): Promise<LoginResponseDto> {
    // Logins differing only in case count together, so case tricks do not multiply the attempts;
    // the operator is looked up by the same lower case, so no spelling counted apart reaches them.
    const lowered = login.toLowerCase();
    const run = createHmac('sha256', this.runKey)
      .update(`${lowered}\n${addressBlock(clientIp)}`)
      .digest('hex');
    const wait = await this.limiter.takeWithBackoff(SCOPE, run, this.backoff);
    if (wait > 0) {
      logins.inc({ result: 'throttled' });
      throw new LoginThrottledError(Math.ceil(wait / 1000));
    }
    const operator = await this.operators.find(lowered);
    // An unknown login costs one scrypt like a known one, so the response time does not tell them apart.
    this.unknownLoginHash ??= hashPassword(generateSecret());
    const valid = await verifyPassword(
      password,
      operator?.passwordHash ?? (await this.unknownLoginHash),
    );
    // A disabled operator is told what a wrong password is told: the login gives nothing away.
    if (!operator || !valid || operator.disabledAt !== null) {
      logins.inc({ result: 'failed' });
      throw new InvalidCredentialsError();
    }
    await this.limiter.reset(SCOPE, run);
    // A hash older than today's scrypt parameters is replaced while the password is at hand.
    await upgradeWeakHash(operator.passwordHash, password, (stronger) =>
      this.operators.upgradePasswordHash(operator.login, operator.passwordHash, stronger),
    );
    logins.inc({ result: 'ok' });
    await this.audit.appendAlone({
      login: operator.login,
      role: operator.role,
      action: 'auth.login',
      subject: `operator:${operator.login}`,
      before: null,
      after: null,
    });
    const { token, expiresAt } = this.tokens.issue(operator);
    return { token, expiresAt: toMoscowIso(expiresAt), role: operator.role };
  }
}
