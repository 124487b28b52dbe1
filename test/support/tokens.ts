import type { TokenClaims } from '@gw/platform';

/** The claims of a signed token (`<key id>.<payload>.<signature>`), read without checking it. */
export function tokenClaims(token: string): TokenClaims & { sid: string } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
