import { DomainError } from '@gw/platform';

export const BACKOFFICE_ERROR_STATUS = {
  NOT_FOUND: 404,
  INVALID_CREDENTIALS: 401,
  LOGIN_THROTTLED: 429,
  INVALID_REQUEST: 400,
  /** A web form the browser should not have sent; the UI answers it on its own page. */
  BAD_FORM: 400,
  REVIEW_CLAIMED: 409,
  REVIEW_DECIDED: 409,
  NOT_CLAIMED: 409,
  REVALIDATION_FAILED: 422,
  NOT_SWAPPABLE: 422,
  INVALID_VERIFICATION: 422,
  VERIFICATION_CONFLICT: 409,
  CONCURRENT_CHANGE: 409,
  SESSION_ENDED: 401,
} as const;

export type BackofficeErrorCode = keyof typeof BACKOFFICE_ERROR_STATUS;

/**
 * A failure of a back-office use case. The API's exception filter answers it with its code's
 * status; the web UI's shows it as a page.
 */
export class BackofficeError extends DomainError {
  constructor(
    override readonly code: BackofficeErrorCode,
    message: string,
    /** Fields the JSON answer carries beside statusCode, error and message. */
    readonly details?: object,
  ) {
    super(code, message);
  }
}

/** What the caller named does not exist, or the processor has not recorded it yet. */
export class NotFoundError extends BackofficeError {
  constructor(what: string, why?: string) {
    super('NOT_FOUND', why ? `${what} not found: ${why}` : `${what} not found`);
  }
}

/** One message for an unknown login and a wrong password, so logins cannot be probed. */
export class InvalidCredentialsError extends BackofficeError {
  constructor() {
    super('INVALID_CREDENTIALS', 'wrong login or password');
  }
}

/** The client may try again after `retryAfterSeconds` (Retry-After). */
export class LoginThrottledError extends BackofficeError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'LOGIN_THROTTLED',
      `too many attempts for this login from this address; retry in ${retryAfterSeconds} s`,
    );
  }
}

/** A request value is well-formed but unusable (e.g. a range that runs backwards). */
export class InvalidRequestError extends BackofficeError {
  constructor(message: string) {
    super('INVALID_REQUEST', message);
  }
}

/** Another operator holds the review item. */
export class ReviewClaimedError extends BackofficeError {
  constructor(
    readonly claimedBy: string,
    readonly claimedUntil: string,
  ) {
    super('REVIEW_CLAIMED', `the item is claimed by ${claimedBy} until ${claimedUntil}`, {
      claimedBy,
      claimedUntil,
    });
  }
}

/**
 * The review item was decided already (a decision is final), by an operator or, while the request
 * waited for it, by a revalidation that took it out of review.
 */
export class ReviewDecidedError extends BackofficeError {
  constructor(submissionId: string, by: 'operator' | 'revalidation' = 'operator') {
    super(
      'REVIEW_DECIDED',
      by === 'operator'
        ? `review item ${submissionId} is already decided`
        : `review item ${submissionId} left review meanwhile: a revalidation decided the reading again`,
    );
  }
}

/** Releasing a claim the caller does not hold. */
export class NotClaimedError extends BackofficeError {
  constructor(submissionId: string) {
    super('NOT_CLAIMED', `you do not hold a claim on review item ${submissionId}`);
  }
}

/** The rules reject the reading an operator wanted to approve; the item stays open. */
export class RevalidationFailedError extends BackofficeError {
  constructor(
    readonly reasons: string[],
    /** The meter the reading was judged on, when it is not the one it was submitted for. */
    meterSerial?: string,
  ) {
    super(
      'REVALIDATION_FAILED',
      `the reading fails validation${meterSerial ? ` on meter ${meterSerial}` : ''}: ${reasons.join(', ')}`,
      { reasons, ...(meterSerial ? { meterSerial } : {}) },
    );
  }
}

/** A review item that cannot be approved swapped: not a suspected swap, or no water pair to swap with. */
export class NotSwappableError extends BackofficeError {
  constructor(message: string) {
    super('NOT_SWAPPABLE', message);
  }
}

/** A verification that cannot have happened (in the future, before installation, after removal). */
export class InvalidVerificationError extends BackofficeError {
  constructor(message: string) {
    super('INVALID_VERIFICATION', message);
  }
}

/** A verification that is not newer than the meter's current one, or differs from one on file. */
export class VerificationConflictError extends BackofficeError {
  constructor(message: string) {
    super('VERIFICATION_CONFLICT', message);
  }
}

/** The data changed while the request was being decided, again and again; the caller may retry. */
export class ConcurrentChangeError extends BackofficeError {
  constructor(message: string) {
    super('CONCURRENT_CHANGE', message);
  }
}

/**
 * The operator's session ended (logged out, `ctl operator revoke` or `disable`) after the request
 * was admitted: nothing more is done in its name.
 */
export class SessionEndedError extends BackofficeError {
  constructor(login: string) {
    super('SESSION_ENDED', `the session of ${login} has ended`);
  }
}
