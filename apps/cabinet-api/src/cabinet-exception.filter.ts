import { domainErrorFilter } from '@gw/platform';
import { CABINET_ERROR_STATUS, CabinetError } from './cabinet.errors';

/** The one place where the cabinet's errors become HTTP answers. */
export const CabinetExceptionFilter = domainErrorFilter(
  CabinetError,
  CABINET_ERROR_STATUS,
  (error) => ({ retryAfterSeconds: error.retryAfterSeconds }),
);
