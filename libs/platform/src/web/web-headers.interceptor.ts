import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { setWebHeaders } from './web-headers';
import type { Response } from 'express';
import type { Observable } from 'rxjs';

/** Sets the pages' security headers (strict CSP, no framing, no caching) before a handler runs. */
@Injectable()
export class WebHeadersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    setWebHeaders(context.switchToHttp().getResponse<Response>());
    return next.handle();
  }
}
