import { domainErrorFilter } from '@gw/platform';
import {
  SLIP_BATCH_ERROR_STATUS,
  SlipBatchError,
  type SlipBatchErrorCode,
} from './slip-batch.errors';

/** How long a client waits before retrying a batch another upload holds, or a busy instance. */
const BUSY_RETRY_AFTER_SECONDS = 5;
const BUSY = new Set<SlipBatchErrorCode>(['BATCH_BUSY', 'UPLOADS_BUSY']);

/** The one place where slip-batch errors become HTTP answers, with what was done before a failure. */
export const SlipBatchHttpFilter = domainErrorFilter(
  SlipBatchError,
  SLIP_BATCH_ERROR_STATUS,
  (error) => ({
    retryAfterSeconds: BUSY.has(error.code) ? BUSY_RETRY_AFTER_SECONDS : undefined,
    extra: error.progress ? { processed: error.progress } : undefined,
  }),
);
