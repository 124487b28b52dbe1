import { createHash } from 'node:crypto';
import {
  formCookieSecret,
  hostCookie,
  hostCookieName,
  readCookie,
  safeNext,
  secretMatches,
} from '@gw/platform';
import type { Request, Response } from 'express';

export { readCookie, safeNext };

/**
 * The cookie the web UI keeps the operator's token in (HttpOnly, SameSite=Strict): `Secure` with
 * the `__Host-` prefix over HTTPS, the bare name on plain HTTP (local development).
 */
export function sessionCookieName(secure: boolean): string {
  return hostCookieName('bo_session', secure);
}

/**
 * The anti-forgery value of every form made with `secret`: the session token once signed in, the
 * sign-in form cookie before. Other sites can neither read (HttpOnly) nor send (SameSite=Strict)
 * either, so a forged form lacks the value.
 */
export function csrfToken(secret: string): string {
  return createHash('sha256').update(`backoffice-csrf:${secret}`).digest('base64url');
}

export function csrfMatches(secret: string, submitted: unknown): boolean {
  return secretMatches(csrfToken(secret), submitted);
}

/**
 * The cookie behind the sign-in form's anti-forgery value, so another site cannot sign a browser
 * in as its own operator (login CSRF). Short-lived: an hour after the sign-in page was last shown.
 */
const SIGN_IN_FORM_COOKIE = 'bo_form';
const SIGN_IN_FORM_SECONDS = 3600;

/** The secret of the visitor's sign-in form, from their form cookie (issued now when absent). */
export function signInFormSecret(req: Request, res: Response, secure: boolean): string {
  return formCookieSecret(req, res, {
    name: SIGN_IN_FORM_COOKIE,
    maxAgeSeconds: SIGN_IN_FORM_SECONDS,
    secure,
  });
}

/** The sign-in form secret a posted form came with, if any. */
export function postedSignInFormSecret(req: Request, secure: boolean): string | undefined {
  return readCookie(req.headers.cookie, hostCookieName(SIGN_IN_FORM_COOKIE, secure));
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return hostCookie('bo_session', token, maxAgeSeconds, secure);
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
