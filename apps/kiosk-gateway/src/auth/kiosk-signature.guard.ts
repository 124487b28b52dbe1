import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  ServiceUnavailableException,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Decoded } from '@gw/contracts';
import { isDatabaseUnavailable } from '@gw/persistence';
import { counter } from '@gw/platform';
import type { Response } from 'express';
import { type KioskHttpRequest, signedPath } from '../http/kiosk-http-request';
import { KioskAuthenticator } from './kiosk-authenticator';

const refused = counter('kiosk_unauthenticated_total', 'Kiosk requests refused with 401');

const AWAITS_NONCE_CLAIM = 'kiosk:awaits-nonce-claim';

/**
 * Marks a handler that awaits `request.nonceClaim.done` itself before it acts, so that the claim's
 * round trip to PostgreSQL overlaps the handler's own work. Every other handler runs only once
 * the nonce is claimed.
 */
export const AwaitsNonceClaim = () => SetMetadata(AWAITS_NONCE_CLAIM, true);

/**
 * 401 unless the request is signed by a known kiosk with a nonce not used before (contract 7.1);
 * nothing is queued then. The signature is checked before anything else happens; the nonce claim
 * (`request.nonceClaim`) fails with the 401 or 503 the kiosk is to get.
 */
@Injectable()
export class KioskSignatureGuard implements CanActivate {
  constructor(
    private readonly authenticator: KioskAuthenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<KioskHttpRequest>();
    const response = http.getResponse<Response>();
    const nowMs = Date.now();
    const verified = await answer(
      response,
      this.authenticator.verify(
        {
          headers: request.headers,
          method: request.method,
          path: signedPath(request),
          body: request.body,
        },
        nowMs,
      ),
    );
    request.kioskId = verified.kioskId;
    const claimed = answer(response, this.authenticator.claimNonce(verified, nowMs));
    // Whoever awaits the claim hears its failure; this only keeps it from being reported unhandled.
    claimed.catch(() => undefined);
    request.nonceClaim = { done: claimed };
    if (!this.reflector.get<boolean>(AWAITS_NONCE_CLAIM, context.getHandler())) await claimed;
    return true;
  }
}

/** What a check established, or the 401 it refuses with; 503 with Retry-After without the database. */
async function answer<T>(response: Response, check: Promise<Decoded<T>>): Promise<T> {
  let result: Decoded<T>;
  try {
    result = await check;
  } catch (error) {
    // Secrets and nonces live in PostgreSQL: without it a kiosk can only retry later, as on a 503 for Kafka.
    if (!isDatabaseUnavailable(error)) throw error;
    response.setHeader('Retry-After', '5');
    throw new ServiceUnavailableException(
      'kiosk credentials and nonces cannot be checked now (database unavailable); retry later',
    );
  }
  if (!result.ok) {
    refused.inc();
    throw new UnauthorizedException(result.error);
  }
  return result.value;
}
