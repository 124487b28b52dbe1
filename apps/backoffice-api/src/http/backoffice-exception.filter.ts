import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { InvalidCredentialsError, LoginThrottledError, NotFoundError } from '../backoffice.errors';

type BackofficeError = InvalidCredentialsError | LoginThrottledError | NotFoundError;

const STATUS: Record<string, HttpStatus> = {
  INVALID_CREDENTIALS: HttpStatus.UNAUTHORIZED,
  LOGIN_THROTTLED: HttpStatus.TOO_MANY_REQUESTS,
  NOT_FOUND: HttpStatus.NOT_FOUND,
};

/**
 * The back office's domain errors as HTTP answers, in one place. Everything else falls through to
 * the platform's global filter (HttpException passthrough, 503, 422, 500).
 */
@Catch(InvalidCredentialsError, LoginThrottledError, NotFoundError)
export class BackofficeExceptionFilter implements ExceptionFilter {
  catch(error: BackofficeError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = STATUS[error.code];
    if (error instanceof LoginThrottledError)
      res.set('Retry-After', String(error.retryAfterSeconds));
    res.status(status).json({ statusCode: status, error: error.code, message: error.message });
  }
}
