import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { SlipBatchError, type SlipBatchErrorCode } from './slip-batch.errors';

const STATUS: Record<SlipBatchErrorCode, HttpStatus> = {
  BATCH_ID_INVALID: HttpStatus.BAD_REQUEST,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  SLIP_FILE_INVALID: HttpStatus.BAD_REQUEST,
  UPLOAD_INTERRUPTED: HttpStatus.BAD_REQUEST,
  BATCH_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  BATCH_BUSY: HttpStatus.CONFLICT,
  BATCH_NOT_FOUND: HttpStatus.NOT_FOUND,
};

/** The one mapping of slip-batch errors to HTTP; everything else goes to the global filter. */
@Catch(SlipBatchError)
export class SlipBatchHttpFilter implements ExceptionFilter {
  catch(error: SlipBatchError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent || res.destroyed) return;
    const status = STATUS[error.code];
    if (error.code === 'BATCH_BUSY') res.set('Retry-After', '5');
    res.status(status).json({
      statusCode: status,
      error: error.code,
      message: error.message,
      ...(error.progress ? { processed: error.progress } : {}),
    });
  }
}
