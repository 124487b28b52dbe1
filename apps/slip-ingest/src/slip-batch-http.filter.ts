import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import { answerDomainError } from '@gw/platform';
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
    answerDomainError(res, STATUS[error.code], error, {
      retryAfterSeconds: error.code === 'BATCH_BUSY' ? 5 : undefined,
      extra: error.progress ? { processed: error.progress } : undefined,
    });
  }
}
