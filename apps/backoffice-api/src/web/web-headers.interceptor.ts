import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { setWebHeaders } from './web-headers';

/** Sets the UI's security headers before a page handler runs. */
@Injectable()
export class WebHeadersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    setWebHeaders(context.switchToHttp().getResponse<Response>());
    return next.handle();
  }
}
