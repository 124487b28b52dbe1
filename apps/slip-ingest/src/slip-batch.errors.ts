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
  /** This instance already takes SLIP_MAX_UPLOADS uploads; the client retries (Retry-After). */
  UPLOADS_BUSY: 503,
  /** An image part with no usable name (its file name is the image_ref rows name it by). */
  SLIP_IMAGE_REF_INVALID: 400,
  SLIP_IMAGE_TOO_LARGE: 413,
  /** Not a JPEG, PNG or WebP by its leading bytes, whatever its name or declared type. */
  SLIP_IMAGE_TYPE_UNSUPPORTED: 415,
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

/** `imageRef` may be a part's file name not yet checked: quoted, its control characters escaped. */
export function slipImageTooLarge(imageRef: string, maxBytes: number): SlipBatchError {
  return new SlipBatchError(
    'SLIP_IMAGE_TOO_LARGE',
    `image ${JSON.stringify(imageRef)} is larger than ${maxBytes} bytes (SLIP_IMAGE_MAX_BYTES)`,
  );
}

/** A later upload of the batch took it over (this one was silent past its lease): it stops. */
export function uploadSuperseded(batchId: string): SlipBatchError {
  return new SlipBatchError(
    'BATCH_BUSY',
    `a newer upload of batch ${batchId} has taken over; this one stopped`,
  );
}
