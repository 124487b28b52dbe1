import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { isDatabaseUnavailable } from '@gw/persistence';
import { counter } from '@gw/platform';
import type { Response } from 'express';
import { type KioskHttpRequest, signedPath } from '../http/kiosk-http-request';
import { type KioskAuthentication, KioskAuthenticator } from './kiosk-authenticator';

const refused = counter('kiosk_unauthenticated_total', 'Kiosk requests refused with 401');

/** 401 unless the request is signed by a known kiosk (contract 7.1); nothing is queued then. */
@Injectable()
export class KioskSignatureGuard implements CanActivate {
  constructor(private readonly authenticator: KioskAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<KioskHttpRequest>();
    let result: KioskAuthentication;
    try {
      result = await this.authenticator.authenticate({
        headers: request.headers,
        method: request.method,
        path: signedPath(request),
        body: request.body,
      });
    } catch (error) {
      // Secrets and nonces live in PostgreSQL: without it a kiosk can only retry later, as on a 503 for Kafka.
      if (!isDatabaseUnavailable(error)) throw error;
      http.getResponse<Response>().setHeader('Retry-After', '5');
      throw new ServiceUnavailableException(
        'signatures cannot be checked now (database unavailable); retry later',
      );
    }
    if (!result.ok) {
      refused.inc();
      throw new UnauthorizedException(result.error);
    }
    request.kioskId = result.kioskId;
    return true;
  }
}
