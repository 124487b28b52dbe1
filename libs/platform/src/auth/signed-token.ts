import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compact signed tokens (`<base64url payload>.<base64url HMAC-SHA256>`) with an expiry, for
 * operator and resident sessions. The secret comes from the app's validated config.
 */
export interface TokenClaims {
  sub: string;
  /** Expiry, Unix seconds. */
  exp: number;
  [claim: string]: unknown;
}

const sign = (body: string, secret: string) =>
  createHmac('sha256', secret).update(body).digest('base64url');

export function signToken(
  claims: Omit<TokenClaims, 'exp'>,
  secret: string,
  ttlSeconds: number,
  now = Date.now(),
): string {
  const body = Buffer.from(
    JSON.stringify({ ...claims, exp: Math.floor(now / 1000) + ttlSeconds }),
  ).toString('base64url');
  return `${body}.${sign(body, secret)}`;
}

/** The token's claims when its signature is right and it has not expired; null otherwise. */
export function verifyToken(token: string, secret: string, now = Date.now()): TokenClaims | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(body, secret));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
    return typeof claims.sub === 'string' &&
      typeof claims.exp === 'number' &&
      claims.exp * 1000 > now
      ? claims
      : null;
  } catch {
    return null;
  }
}
