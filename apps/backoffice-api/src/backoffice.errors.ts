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
      `too many attempts for this login from this address; retry in ${retryAfterSeconds} s`,
    );
  }
}

/** A request value is well-formed but unusable (e.g. a range that runs backwards). */
export class InvalidRequestError extends DomainError {
  constructor(message: string) {
    super('INVALID_REQUEST', message);
  }
}

/** Another operator holds the review item. */
export class ReviewClaimedError extends DomainError {
  constructor(
    readonly claimedBy: string,
    readonly claimedUntil: string,
  ) {
    super('REVIEW_CLAIMED', `the item is claimed by ${claimedBy} until ${claimedUntil}`);
  }
}

/** The review item was decided already; a decision is final. */
export class ReviewDecidedError extends DomainError {
  constructor(submissionId: string) {
    super('REVIEW_DECIDED', `review item ${submissionId} is already decided`);
  }
}

/** Releasing a claim the caller does not hold. */
export class NotClaimedError extends DomainError {
  constructor(submissionId: string) {
    super('NOT_CLAIMED', `you do not hold a claim on review item ${submissionId}`);
  }
}

/** The rules reject the reading an operator wanted to approve; the item stays open. */
export class RevalidationFailedError extends DomainError {
  constructor(readonly reasons: string[]) {
    super('REVALIDATION_FAILED', `the reading fails validation: ${reasons.join(', ')}`);
  }
}

/** A verification that cannot have happened (in the future, before installation, after removal). */
export class InvalidVerificationError extends DomainError {
  constructor(message: string) {
    super('INVALID_VERIFICATION', message);
  }
}

/** A verification that is not newer than the meter's current one, or differs from one on file. */
export class VerificationConflictError extends DomainError {
  constructor(message: string) {
    super('VERIFICATION_CONFLICT', message);
  }
}

/** The data changed while the request was being decided, again and again; the caller may retry. */
export class ConcurrentChangeError extends DomainError {
  constructor(message: string) {
    super('CONCURRENT_CHANGE', message);
  }
}
