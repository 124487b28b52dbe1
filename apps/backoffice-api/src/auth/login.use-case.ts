import { Injectable } from '@nestjs/common';
import { toMoscowIso } from '@gw/domain';
import { AuditLogRepository, OperatorRepository } from '@gw/persistence';
import { counter, generateSecret, hashPassword, verifyPassword } from '@gw/platform';
import { InvalidCredentialsError, LoginThrottledError } from '../backoffice.errors';
import { LoginThrottle } from './login-throttle';
import type { LoginResponseDto } from './login.dto';
import { OperatorTokens } from './operator-tokens';

const logins = counter('backoffice_logins_total', 'Operator logins by result', ['result']);

/** Checks an operator's password (throttled per login), issues a signed, expiring token and logs the sign-in. */
@Injectable()
export class LoginUseCase {
  private unknownLoginHash?: Promise<string>;

  constructor(
    private readonly operators: OperatorRepository,
    private readonly tokens: OperatorTokens,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLogRepository,
  ) {}

  async execute(login: string, password: string): Promise<LoginResponseDto> {
    const wait = this.throttle.retryAfterMs(login, Date.now());
    if (wait > 0) {
      logins.inc({ result: 'throttled' });
      throw new LoginThrottledError(Math.ceil(wait / 1000));
    }
    const operator = await this.operators.find(login);
    // An unknown login costs one scrypt like a known one, so the response time does not tell them apart.
    this.unknownLoginHash ??= hashPassword(generateSecret());
    const valid = await verifyPassword(
      password,
      operator?.passwordHash ?? (await this.unknownLoginHash),
    );
    if (!operator || !valid) {
      this.throttle.recordFailure(login, Date.now());
      logins.inc({ result: 'failed' });
      throw new InvalidCredentialsError();
    }
    this.throttle.recordSuccess(login);
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
