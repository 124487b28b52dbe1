import { DomainError } from '@gw/platform';

export const SLIP_BATCH_ERROR_STATUS = {
  BATCH_ID_INVALID: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SLIP_FILE_INVALID: 400,
  /** The client stopped sending mid-file; the rows read before stay queued. */
  UPLOAD_INTERRUPTED: 400,
  BATCH_TOO_LARGE: 413,
  /** Another upload of the same batch is running; the client retries (Retry-After). */
  BATCH_BUSY: 409,
  BATCH_NOT_FOUND: 404,
} as const;

export type SlipBatchErrorCode = keyof typeof SLIP_BATCH_ERROR_STATUS;

/** What was done before an upload stopped: rows already handled stay queued. */
export interface SlipBatchProgress {
  rows: number;
  queued: number;
  invalid: number;
}

/** A refused or failed batch upload; SlipBatchHttpFilter answers it with its code's status. */
export class SlipBatchError extends DomainError {
  constructor(
    override readonly code: SlipBatchErrorCode,
    message: string,
    readonly progress: SlipBatchProgress | null = null,
  ) {
    super(code, message);
  }
}
