import { STATUS_CODES } from 'node:http';
import { domainErrorFilter } from '@gw/platform';
import { KIOSK_ERROR_STATUS, KioskError } from './kiosk.errors';

/**
 * The one place where the kiosk's refusals become HTTP answers. Their `error` is the HTTP reason
 * phrase ("Unauthorized", "Not Found") rather than the code: the form kiosk clients are built against.
 */
export const KioskExceptionFilter = domainErrorFilter(KioskError, KIOSK_ERROR_STATUS, (error) => ({
  retryAfterSeconds: error.retryAfterSeconds,
  extra: { error: STATUS_CODES[KIOSK_ERROR_STATUS[error.code]] },
}));
