import { domainErrorFilter } from '@gw/platform';
import {
  BACKOFFICE_ERROR_STATUS,
  BackofficeError,
  LoginThrottledError,
} from '../backoffice.errors';

/**
 * The back office's errors as HTTP answers, in one place. Everything else falls through to the
 * platform's global filter (HttpException passthrough, 503, 500).
 */
export const BackofficeExceptionFilter = domainErrorFilter(
  BackofficeError,
  BACKOFFICE_ERROR_STATUS,
  (error) => ({
    retryAfterSeconds: error instanceof LoginThrottledError ? error.retryAfterSeconds : undefined,
    extra: error.details,
  }),
);
