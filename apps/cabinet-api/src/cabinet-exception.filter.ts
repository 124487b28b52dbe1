import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { answerDomainError } from '@gw/platform';
import type { Response } from 'express';
import { CABINET_ERROR_STATUS, CabinetError } from './cabinet.errors';

/** The one place where the cabinet's errors become HTTP answers. */
@Catch(CabinetError)
export class CabinetExceptionFilter implements ExceptionFilter {
  catch(error: CabinetError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    answerDomainError(res, CABINET_ERROR_STATUS[error.code], error, {
      retryAfterSeconds: error.retryAfterSeconds,
    });
  }
}
