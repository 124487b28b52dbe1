import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { CABINET_ERROR_STATUS, CabinetError } from './cabinet.errors';

/** The one place where the cabinet's errors become HTTP answers. */
@Catch(CabinetError)
export class CabinetExceptionFilter implements ExceptionFilter {
  catch(error: CabinetError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = CABINET_ERROR_STATUS[error.code];
    if (error.retryAfterSeconds !== undefined)
      res.set('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    res.status(status).json({ statusCode: status, error: error.code, message: error.message });
  }
}
