import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import { answerDomainError } from '@gw/platform';
import type { Response } from 'express';
import {
  ConcurrentChangeError,
  InvalidCredentialsError,
  InvalidRequestError,
  InvalidVerificationError,
  LoginThrottledError,
  NotClaimedError,
  NotFoundError,
  RevalidationFailedError,
  ReviewClaimedError,
  ReviewDecidedError,
  VerificationConflictError,
} from '../backoffice.errors';

const HANDLED = [
  ConcurrentChangeError,
  InvalidCredentialsError,
  InvalidRequestError,
  InvalidVerificationError,
  LoginThrottledError,
  NotClaimedError,
  NotFoundError,
  RevalidationFailedError,
  ReviewClaimedError,
  ReviewDecidedError,
  VerificationConflictError,
];

type BackofficeError = InstanceType<(typeof HANDLED)[number]>;

/** The one mapping of the back office's domain errors to HTTP statuses. */
export const ERROR_STATUS: Record<BackofficeError['code'], HttpStatus> = {
  CONCURRENT_CHANGE: HttpStatus.CONFLICT,
  INVALID_CREDENTIALS: HttpStatus.UNAUTHORIZED,
  INVALID_REQUEST: HttpStatus.BAD_REQUEST,
  INVALID_VERIFICATION: HttpStatus.UNPROCESSABLE_ENTITY,
  LOGIN_THROTTLED: HttpStatus.TOO_MANY_REQUESTS,
  NOT_CLAIMED: HttpStatus.CONFLICT,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  REVALIDATION_FAILED: HttpStatus.UNPROCESSABLE_ENTITY,
  REVIEW_CLAIMED: HttpStatus.CONFLICT,
  REVIEW_DECIDED: HttpStatus.CONFLICT,
  VERIFICATION_CONFLICT: HttpStatus.CONFLICT,
};

/**
 * The back office's domain errors as HTTP answers, in one place. Everything else falls through to
 * the platform's global filter (HttpException passthrough, 503, 422, 500).
 */
@Catch(...HANDLED)
export class BackofficeExceptionFilter implements ExceptionFilter {
  catch(error: BackofficeError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    answerDomainError(res, ERROR_STATUS[error.code] ?? HttpStatus.UNPROCESSABLE_ENTITY, error, {
      retryAfterSeconds: error instanceof LoginThrottledError ? error.retryAfterSeconds : undefined,
      extra:
        error instanceof RevalidationFailedError
          ? { reasons: error.reasons }
          : error instanceof ReviewClaimedError
            ? { claimedBy: error.claimedBy, claimedUntil: error.claimedUntil }
            : undefined,
    });
  }
}
