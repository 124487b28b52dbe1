import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { OperatorRole } from '@gw/persistence';
import type { Request } from 'express';
import { hasRole } from '../auth/operator-role';
import { type OperatorSession, OperatorTokens } from '../auth/operator-tokens';
import { BACKOFFICE_ENV, type BackofficeEnv } from '../backoffice.env';
import {
  csrfMatches,
  csrfToken,
  postedSignInFormSecret,
  readCookie,
  sessionCookieName,
} from './web-session';

const WEB_ROLE = 'backoffice:web-role';

/** A web request the guard admitted: the operator, their session token and its form token. */
export interface WebRequest extends Request {
  operator: OperatorSession;
  sessionToken: string;
  /** Signing in: the sign-in form's anti-forgery value, once SignInFormGuard admitted it. */
  signInCsrf?: string;
}

/** No valid session: the filter sends the browser to the sign-in page. */
export class WebSignInRequired extends Error {}

/** Signed in, but the page needs a higher role. */
export class WebForbidden extends Error {
  constructor(readonly required: OperatorRole) {
    super(`needs the role ${required}`);
  }
}

/** A form without this session's anti-forgery value. */
export class WebFormRejected extends Error {}

/** The sign-in form without the anti-forgery value of the form cookie its page set. */
export class SignInFormRejected extends WebFormRejected {}

/**
 * Admits a page request whose session cookie holds a valid operator token of the page's role or
 * above; for POST also the form's anti-forgery value. The API's bearer guard is separate, so API
 * routes never accept the cookie.
 */
@Injectable()
export class WebAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: OperatorTokens,
    @Inject(BACKOFFICE_ENV) private readonly env: BackofficeEnv,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required =
      this.reflector.getAllAndOverride<OperatorRole | undefined>(WEB_ROLE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'admin';
    const request = context.switchToHttp().getRequest<WebRequest>();
    const cookie = sessionCookieName(this.env.BACKOFFICE_COOKIE_SECURE);
    const token = readCookie(request.headers.cookie, cookie);
    const operator = token ? await this.tokens.verify(token) : null;
    if (!token || !operator) throw new WebSignInRequired();
    // Set before the checks below, so that their error pages show the operator's header too.
    request.operator = operator;
    request.sessionToken = token;
    if (request.method === 'POST' && !csrfMatches(token, request.body?._csrf))
      throw new WebFormRejected();
    if (!hasRole(operator.role, required)) throw new WebForbidden(required);
    return true;
  }
}

/**
 * Admits the sign-in form only with the value derived from the form cookie the sign-in page sets,
 * which another site can neither read nor send: a page elsewhere cannot sign a browser in as its
 * own operator (login CSRF), whose decisions the victim would then make.
 */
@Injectable()
export class SignInFormGuard implements CanActivate {
  constructor(@Inject(BACKOFFICE_ENV) private readonly env: BackofficeEnv) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<WebRequest>();
    const secret = postedSignInFormSecret(request, this.env.BACKOFFICE_COOKIE_SECURE);
    if (!secret || !csrfMatches(secret, request.body?._csrf)) throw new SignInFormRejected();
    request.signInCsrf = csrfToken(secret);
    return true;
  }
}

/** A page for `role` or above (operator < supervisor < admin). */
export function WebPage(role: OperatorRole) {
  return applyDecorators(SetMetadata(WEB_ROLE, role), UseGuards(WebAuthGuard));
}
