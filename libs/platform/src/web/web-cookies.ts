import { timingSafeEqual } from 'node:crypto';

/** Reads one cookie from a Cookie header; undefined when absent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The name of a session cookie. Over HTTPS it carries the `__Host-` prefix: browsers then accept
 * it only from this exact host, over HTTPS, for Path=/ and without a Domain, so neither plain HTTP
 * nor a sibling subdomain can plant or overwrite it. Plain HTTP (local development) can carry no
 * such cookie, hence the bare name there.
 */
export function hostCookieName(name: string, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}

/** A Set-Cookie value: HttpOnly, SameSite=Strict, Path=/, and Secure over HTTPS. */
export function hostCookie(name: string, value: string, maxAgeSeconds: number, secure: boolean) {
  return [
    `${hostCookieName(name, secure)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** Whether a submitted form value equals the expected secret, compared in constant time. */
export function secretMatches(expected: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const want = Buffer.from(expected);
  const given = Buffer.from(submitted);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Only local paths are followed after sign-in, so a link cannot send anyone elsewhere. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}
