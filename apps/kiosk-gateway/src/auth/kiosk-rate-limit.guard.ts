import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
} from '@nestjs/common';
import { counter, TokenBuckets } from '@gw/platform';
import type { Response } from 'express';
import type { KioskHttpRequest } from '../http/kiosk-http-request';

const limited = counter('kiosk_rate_limited_total', 'Kiosk requests refused with 429');

/** 429 with Retry-After when an authenticated kiosk is over its rate. Runs after KioskSignatureGuard. */
@Injectable()
export class KioskRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: TokenBuckets) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const kioskId = http.getRequest<KioskHttpRequest>().kioskId as string;
    const wait = this.limiter.take(kioskId, Date.now());
    if (wait === 0) return true;
    limited.inc();
    http.getResponse<Response>().setHeader('Retry-After', String(wait));
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `kiosk ${kioskId} is over its request rate; retry after ${wait} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
