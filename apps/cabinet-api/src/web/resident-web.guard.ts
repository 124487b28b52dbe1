import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
} from '@nestjs/common';
import { secretMatches } from '@gw/platform';
import type { Request } from 'express';
import type { ResidentRequest } from '../auth/resident-auth.guard';
import { SessionTokens } from '../auth/session-tokens.service';
import { CabinetEnv } from '../cabinet.env';
import { cookieOf, csrfToken, FORM_COOKIE, SESSION_COOKIE } from './web-session';

/** A page request the guard admitted: the resident, their session, and its token. */
export interface ResidentWebRequest extends ResidentRequest {
  sessionToken?: string;
}

/** No valid session: the filter sends the browser to the sign-in page. */
export class WebSignInRequired extends Error {}

/** A form without the anti-forgery value of this visitor. */
export class WebFormRejected extends Error {}

/**
 * Admits a page request whose session cookie holds a valid resident token (checked like the API's
 * bearer token: signature, expiry, logout, revocation); for POST also the form's anti-forgery
 * value. It sets the same request fields as the API's guard, so LinkedAccountGuard works behind
 * it. The API's routes take only the bearer header, never the cookie.
 */
@Injectable()
export class ResidentWebGuard implements CanActivate {
  constructor(
    private readonly tokens: SessionTokens,
    private readonly env: CabinetEnv,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ResidentWebRequest>();
    const token = cookieOf(req, SESSION_COOKIE, this.env.CABINET_COOKIE_SECURE);
    const session = token ? await this.tokens.verify(token) : null;
    if (!token || !session) throw new WebSignInRequired();
    if (req.method === 'POST' && !secretMatches(csrfToken(token), req.body?._csrf))
      throw new WebFormRejected();
    req.residentId = session.residentId;
    req.residentSession = session;
    req.sessionToken = token;
    return true;
  }
}

/** A form posted before sign-in, behind PublicFormGuard. */
export interface PublicFormRequest extends Request {
  formCsrf?: string;
}

/**
 * Admits a form posted before sign-in (registration, sign-in, the code forms) only with the value
 * derived from the visitor's form cookie, which another site can neither read nor send.
 */
@Injectable()
export class PublicFormGuard implements CanActivate {
  constructor(private readonly env: CabinetEnv) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<PublicFormRequest>();
    const secret = cookieOf(req, FORM_COOKIE, this.env.CABINET_COOKIE_SECURE);
    const csrf = secret ? csrfToken(secret) : null;
    if (!csrf || !secretMatches(csrf, req.body?._csrf)) throw new WebFormRejected();
    req.formCsrf = csrf;
    return true;
  }
}

export interface PostedForm {
  form: Record<string, unknown>;
  /** The anti-forgery value, for the page that shows the form again. */
  csrf: string;
  /** The client's address (behind TRUSTED_PROXIES), as the API's handlers take it. */
  clientIp: string;
}

/** The posted form of a request PublicFormGuard admitted. */
export const PublicForm = createParamDecorator(
  (_: unknown, context: ExecutionContext): PostedForm => {
    const req = context.switchToHttp().getRequest<PublicFormRequest>();
    // Express leaves the body undefined when a POST carries none.
    return { form: req.body ?? {}, csrf: req.formCsrf as string, clientIp: req.ip ?? '' };
  },
);
