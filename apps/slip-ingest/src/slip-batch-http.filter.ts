import { domainErrorFilter } from '@gw/platform';
import { SLIP_BATCH_ERROR_STATUS, SlipBatchError } from './slip-batch.errors';

/** How long a client waits before retrying a batch another upload of it holds. */
const BATCH_BUSY_RETRY_AFTER_SECONDS = 5;

/** The one place where slip-batch errors become HTTP answers, with what was done before a failure. */
export const SlipBatchHttpFilter = domainErrorFilter(
  SlipBatchError,
  SLIP_BATCH_ERROR_STATUS,
  (error) => ({
    retryAfterSeconds: error.code === 'BATCH_BUSY' ? BATCH_BUSY_RETRY_AFTER_SECONDS : undefined,
    extra: error.progress ? { processed: error.progress } : undefined,
  }),
);
