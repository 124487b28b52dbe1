import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The cookie the web UI keeps the operator's token in (HttpOnly, SameSite=Strict). Over HTTPS it is
 * `Secure` with the `__Host-` prefix: browsers then accept it only from this exact host, over
 * HTTPS, for Path=/ and without a Domain, so neither plain HTTP nor a sibling subdomain can plant
 * or overwrite it. Plain HTTP (local development) can carry neither, hence the bare name.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-bo_session' : 'bo_session';
}

/** Reads one cookie from a Cookie header; undefined when absent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The anti-forgery value every form of a session carries. Derived from the session token, which
 * other sites can neither read (HttpOnly) nor send (SameSite=Strict), so a forged form lacks it.
 */
export function csrfToken(sessionToken: string): string {
  return createHash('sha256').update(`backoffice-csrf:${sessionToken}`).digest('base64url');
}

export function csrfMatches(sessionToken: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const expected = Buffer.from(csrfToken(sessionToken));
  const given = Buffer.from(submitted);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${sessionCookieName(secure)}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}

/** Only local paths are followed after sign-in, so a link cannot send an operator elsewhere. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}
