import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Decoded } from '@gw/contracts';
import { isDatabaseUnavailable } from '@gw/persistence';
import { counter, OUTAGE_RETRY_AFTER_SECONDS } from '@gw/platform';
import { type KioskHttpRequest, signedPath } from '../http/kiosk-http-request';
import { KioskError } from '../kiosk.errors';
import { KioskAuthenticator } from './kiosk-authenticator';

const refused = counter('kiosk_unauthenticated_total', 'Kiosk requests refused with 401');

/**
 * 401 unless the request is signed by a known kiosk with a nonce not used before (contract 7.1);
 * nothing is queued then. The signature is checked before anything else happens, and the handler
 * runs only once the nonce is claimed.
 */
@Injectable()
export class KioskSignatureGuard implements CanActivate {
  constructor(private readonly authenticator: KioskAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<KioskHttpRequest>();
    const nowMs = Date.now();
    const verified = await answer(
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
    await answer(this.authenticator.claimNonce(verified, nowMs));
    request.kioskId = verified.kioskId;
    return true;
  }
}

/** What a check established, or the 401 it refuses with; 503 with Retry-After without the database. */
export async function answer<T>(check: Promise<Decoded<T>>): Promise<T> {
  let result: Decoded<T>;
  try {
    result = await check;
  } catch (error) {
    // Secrets and nonces live in PostgreSQL: without it a kiosk can only retry later, as on a 503 for Kafka.
    if (!isDatabaseUnavailable(error)) throw error;
    throw new KioskError(
      'CREDENTIALS_UNAVAILABLE',
      'kiosk credentials and nonces cannot be checked now (database unavailable); retry later',
      OUTAGE_RETRY_AFTER_SECONDS,
    );
  }
  if (!result.ok) {
    refused.inc();
    throw new KioskError('NOT_AUTHENTICATED', result.error);
  }
  return result.value;
}
