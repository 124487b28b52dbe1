import { DomainError } from '@gw/platform';

export const SLIP_BATCH_ERROR_CODES = [
  'BATCH_ID_INVALID',
  'UNSUPPORTED_MEDIA_TYPE',
  'SLIP_FILE_INVALID',
  'UPLOAD_INTERRUPTED',
  'BATCH_TOO_LARGE',
  'BATCH_BUSY',
  'BATCH_NOT_FOUND',
] as const;
export type SlipBatchErrorCode = (typeof SLIP_BATCH_ERROR_CODES)[number];

/** What was done before an upload stopped: rows already handled stay queued. */
export interface SlipBatchProgress {
  rows: number;
  queued: number;
  invalid: number;
}

/** A refused or failed batch upload; slip-batch-http.filter.ts maps codes to HTTP statuses. */
export class SlipBatchError extends DomainError {
  constructor(
    override readonly code: SlipBatchErrorCode,
    message: string,
    readonly progress: SlipBatchProgress | null = null,
  ) {
    super(code, message);
  }
}
