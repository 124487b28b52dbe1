import { createHash } from 'node:crypto';
import { hostCookie, hostCookieName, readCookie, safeNext, secretMatches } from '@gw/platform';

export { readCookie, safeNext };

/**
 * The cookie the web UI keeps the operator's token in (HttpOnly, SameSite=Strict): `Secure` with
 * the `__Host-` prefix over HTTPS, the bare name on plain HTTP (local development).
 */
export function sessionCookieName(secure: boolean): string {
  return hostCookieName('bo_session', secure);
}

/**
 * The anti-forgery value every form of a session carries. Derived from the session token, which
 * other sites can neither read (HttpOnly) nor send (SameSite=Strict), so a forged form lacks it.
 */
export function csrfToken(sessionToken: string): string {
  return createHash('sha256').update(`backoffice-csrf:${sessionToken}`).digest('base64url');
}

export function csrfMatches(sessionToken: string, submitted: unknown): boolean {
  return secretMatches(csrfToken(sessionToken), submitted);
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return hostCookie('bo_session', token, maxAgeSeconds, secure);
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
