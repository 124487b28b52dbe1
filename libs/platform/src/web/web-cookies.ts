import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

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

/** The cookie of a visitor's form secret, before sign-in. */
export interface FormCookie {
  name: string;
  /** How long the secret lasts after the last page that showed a form made with it. */
  maxAgeSeconds: number;
  secure: boolean;
}

const FORM_SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * The secret behind the anti-forgery value of the forms shown before sign-in: the visitor's own
 * (so several open pages stay valid), or a fresh random one. The cookie is set again with every
 * such page, so it expires `maxAgeSeconds` after the last form shown. Another site can neither
 * read it (HttpOnly) nor send it (SameSite=Strict), so a form it forges lacks the value.
 */
export function formCookieSecret(req: Request, res: Response, cookie: FormCookie): string {
  const current = readCookie(req.headers.cookie, hostCookieName(cookie.name, cookie.secure));
  const secret =
    current && FORM_SECRET.test(current) ? current : randomBytes(32).toString('base64url');
  res.append('Set-Cookie', hostCookie(cookie.name, secret, cookie.maxAgeSeconds, cookie.secure));
  return secret;
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
