import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { counter, TokenBuckets } from '@gw/platform';
import type { KioskHttpRequest } from '../http/kiosk-http-request';
import { KioskError } from '../kiosk.errors';

const limited = counter('kiosk_rate_limited_total', 'Kiosk requests refused with 429');

/** 429 with Retry-After when an authenticated kiosk is over its rate. Runs after KioskSignatureGuard. */
@Injectable()
export class KioskRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: TokenBuckets) {}

  canActivate(context: ExecutionContext): boolean {
    const kioskId = context.switchToHttp().getRequest<KioskHttpRequest>().kioskId as string;
    const wait = this.limiter.take(kioskId, Date.now());
    if (wait === 0) return true;
    limited.inc();
    throw new KioskError(
      'RATE_LIMITED',
      `kiosk ${kioskId} is over its request rate; retry after ${wait} s`,
      wait,
    );
  }
}
