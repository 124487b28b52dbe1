import { createHash } from 'node:crypto';
import { formCookieSecret, hostCookie, hostCookieName, readCookie } from '@gw/platform';
import type { Request, Response } from 'express';

/** The cookie that holds a signed-in resident's session token (the API's bearer token). */
export const SESSION_COOKIE = 'cab_session';

/**
 * A random value a visitor gets with the first form they see before signing in (registration,
 * sign-in, the code forms); those forms carry a value derived from it. Another site can neither
 * read it (HttpOnly) nor send it (SameSite=Strict), so a form it forges lacks the value.
 */
export const FORM_COOKIE = 'cab_form';

const FORM_COOKIE_SECONDS = 24 * 3600;

/**
 * The anti-forgery value of every form made with `secret` (the session token once signed in, the
 * form cookie before): derived from it, so it changes with each session.
 */
export function csrfToken(secret: string): string {
  return createHash('sha256').update(`cabinet-csrf:${secret}`).digest('base64url');
}

export function cookieOf(req: Request, name: string, secure: boolean): string | undefined {
  return readCookie(req.headers.cookie, hostCookieName(name, secure));
}

/** The visitor's form secret, from their form cookie (issued now when they have none yet). */
export function formSecret(req: Request, res: Response, secure: boolean): string {
  return formCookieSecret(req, res, {
    name: FORM_COOKIE,
    maxAgeSeconds: FORM_COOKIE_SECONDS,
    secure,
  });
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return hostCookie(SESSION_COOKIE, token, maxAgeSeconds, secure);
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
