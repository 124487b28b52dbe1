import type { Request } from 'express';

/**
 * The claim of a request's nonce, under way. An object rather than the promise itself: Nest awaits
 * a handler's arguments, which would make the handler wait for the claim.
 */
export interface NonceClaim {
  /** Resolves once the nonce is claimed; rejects with the 401 or 503 the kiosk is to get. */
  readonly done: Promise<void>;
}

/**
 * A request on a kiosk route: its raw body (read by RawBodyMiddleware) and, once its signature is
 * proven (KioskSignatureGuard), the kiosk and the claim of its nonce.
 */
export interface KioskHttpRequest extends Request {
  body: Buffer;
  kioskId?: string;
  nonceClaim?: NonceClaim;
}

/** The path a kiosk signed: the request target without its query string. */
export function signedPath(request: Request): string {
  const target = request.originalUrl;
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}
