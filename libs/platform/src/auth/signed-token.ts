import { createHmac, timingSafeEqual } from 'node:crypto';
import { SecretSetting } from '../config/secret-setting';
import type { KeyRing, RingKey } from './key-ring';

/**
 * Compact signed tokens (`<key id>.<base64url payload>.<base64url HMAC-SHA256>`) with an expiry,
 * for operator and resident sessions. The keys come from the app's validated config: new tokens are
 * signed with the ring's current key, and a token is checked with the key its id names, so tokens
 * signed with the previous key keep working through a rotation.
 */
export interface TokenClaims {
  sub: string;
  /** Expiry, Unix seconds. */
  exp: number;
  [claim: string]: unknown;
}

/** An env field holding a token key: 32 characters or more (see SecretSetting for the options). */
export function TokenSecret(options: {
  development?: string;
  required: boolean;
}): PropertyDecorator {
  return SecretSetting({
    ...options,
    pattern: /^.{32,}$/s,
    format: 'at least 32 characters (npm run ctl -- keys generate)',
  });
}

const sign = (signed: string, key: RingKey) =>
  createHmac('sha256', key.bytes).update(signed).digest('base64url');

export function signToken(
  claims: Omit<TokenClaims, 'exp'>,
  keys: KeyRing,
  ttlSeconds: number,
  now = Date.now(),
): string {
  const body = Buffer.from(
    JSON.stringify({ ...claims, exp: Math.floor(now / 1000) + ttlSeconds }),
  ).toString('base64url');
  const signed = `${keys.current.id}.${body}`;
  return `${signed}.${sign(signed, keys.current)}`;
}

/** The id of the key a token claims to be signed with; null when it names none. */
export function tokenKeyId(token: string): string | null {
  const parts = token.split('.');
  return parts.length === 3 ? parts[0] : null;
}

/**
 * The token's claims when it is signed with a key of the ring and has not expired; null otherwise.
 * A token without a key id (`<payload>.<signature>`, signed over the payload alone) was issued
 * before tokens carried one: it is checked with each key of the ring, so an upgrade ends no session.
 */
export function verifyToken(token: string, keys: KeyRing, now = Date.now()): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length === 3) {
    const key = keys.find(parts[0]);
    const signed = `${parts[0]}.${parts[1]}`;
    return key && signatureMatches(signed, parts[2], key) ? claimsOf(parts[1], now) : null;
  }
  if (parts.length === 2 && keys.keys.some((key) => signatureMatches(parts[0], parts[1], key)))
    return claimsOf(parts[0], now);
  return null;
}

function signatureMatches(signed: string, signature: string, key: RingKey): boolean {
  const expected = Buffer.from(sign(signed, key));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function claimsOf(body: string, now: number): TokenClaims | null {
  if (!body) return null;
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
