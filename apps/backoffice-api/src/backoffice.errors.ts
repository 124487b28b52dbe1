import { DomainError } from '@gw/platform';

/** What the caller named does not exist, or the processor has not recorded it yet. */
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

/** One message for an unknown login and a wrong password, so logins cannot be probed. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('INVALID_CREDENTIALS', 'wrong login or password');
  }
}

export class LoginThrottledError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'LOGIN_THROTTLED',
      `too many failed logins for this login; retry in ${retryAfterSeconds} s`,
    );
  }
}
