import type { Request } from 'express';

/**
 * A request on a kiosk route: its raw body (read by RawBodyMiddleware) and, once its signature is
 * proven and its nonce claimed (KioskSignatureGuard), the kiosk.
 */
export interface KioskHttpRequest extends Request {
  body: Buffer;
  kioskId?: string;
}

/** The path a kiosk signed: the request target without its query string. */
export function signedPath(request: Request): string {
  const target = request.originalUrl;
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}
