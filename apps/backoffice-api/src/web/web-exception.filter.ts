import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import { isDatabaseUnavailable } from '@gw/persistence';
import {
  isPageAddress,
  logUnhandledPageError,
  MalformedAddressException,
  OUTAGE_RETRY_AFTER_SECONDS,
  outageOf,
  PasswordChecksBusyError,
  type RefuseRequest,
  refuseWithJson,
  UNFIT_INPUT_PAGE,
  UnfitInputException,
} from '@gw/platform';
import type { Request, Response } from 'express';
import { type OperatorSession, OperatorTokens } from '../auth/operator-tokens';
import { BACKOFFICE_ENV, type BackofficeEnv } from '../backoffice.env';
import {
  BACKOFFICE_ERROR_STATUS,
  BackofficeError,
  LoginThrottledError,
  RevalidationFailedError,
} from '../backoffice.errors';
import { errorPage } from './pages/error.page';
import { signInPage } from './pages/sign-in.page';
import { ERROR_TEXTS, ROLE_NAMES } from './ru-texts';
import {
  SignInFormRejected,
  WebForbidden,
  WebFormRejected,
  type WebRequest,
  WebSignInRequired,
} from './web-auth.guard';
import { setWebHeaders } from './web-headers';
import { csrfToken, readCookie, safeNext, sessionCookieName } from './web-session';

/**
 * A request answered by a page with its own status instead, e.g. a file asked with filters that
 * its page refuses.
 */
export class WebPageInstead extends Error {
  constructor(
    readonly status: number,
    readonly page: string,
  ) {
    super(`answered by a page (${status})`);
  }
}

/**
 * A page request over its address's rate: the 429 page with Retry-After, the API's requests the
 * JSON refusal. Nothing is looked up, so the page has no operator's header.
 */
export const refuseAsPage: RefuseRequest = (req, res, retryAfterSeconds) => {
  if (!isPageAddress(req.path)) return refuseWithJson(req, res, retryAfterSeconds);
  setWebHeaders(res);
  res
    .set('Retry-After', String(retryAfterSeconds))
    .status(429)
    .send(errorPage(null, 'Слишком много запросов', ERROR_TEXTS.TOO_MANY_REQUESTS));
};

/**
 * Failures of UI routes, and of addresses outside the API that no route takes, as pages, never
 * JSON: no session leads to the sign-in page; a refused action returns to its page (the path
 * without its last segment) with the error's code, which the page shows in Russian
 * (POST-redirect-GET, so a reload does not repeat the action). An address no guard admitted
 * (unknown or malformed) has its session checked here as the guard checks it, so a signed-in
 * operator's page keeps the header.
 */
@Catch()
@Injectable()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Web');

  constructor(
    private readonly tokens: OperatorTokens,
    @Inject(BACKOFFICE_ENV) private readonly env: BackofficeEnv,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void | Promise<void> {
    const req = host.switchToHttp().getRequest<WebRequest>();
    const cookie = sessionCookieName(this.env.BACKOFFICE_COOKIE_SECURE);
    const token = readCookie(req.headers.cookie, cookie);
    if (!(error instanceof HttpException) || req.operator || !token)
      return this.answer(error, host, req.operator, req.sessionToken);
    return this.tokens.verify(token).then(
      (operator) => this.answer(error, host, operator ?? undefined, token),
      (failure: unknown) => this.answer(failure, host, undefined, token),
    );
  }

  private answer(
    error: unknown,
    host: ArgumentsHost,
    operator: OperatorSession | undefined,
    sessionToken: string,
  ): void {
    const req = host.switchToHttp().getRequest<WebRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    setWebHeaders(res);
    const session = operator ? { operator, csrf: csrfToken(sessionToken) } : null;
    const outage = outageOf(error, isDatabaseUnavailable);
    if (outage) {
      this.logger.warn({
        msg: 'retry later',
        path: req.path,
        error: (error as Error)?.message ?? String(error),
      });
      res
        .set('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS))
        .status(503)
        .send(errorPage(session, 'Сервис временно недоступен', ERROR_TEXTS[outage.code]));
    } else if (error instanceof WebPageInstead) {
      res.status(error.status).send(error.page);
    } else if (error instanceof WebSignInRequired) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/login${next}`);
    } else if (error instanceof WebForbidden) {
      res
        .status(403)
        .send(
          errorPage(
            session,
            'Нет доступа',
            `Эта страница доступна ролям от «${ROLE_NAMES[error.required]}».`,
          ),
        );
    } else if (error instanceof WebFormRejected) {
      const text =
        error instanceof SignInFormRejected
          ? 'Форма входа устарела или отправлена не с этой страницы. Откройте страницу входа и войдите снова.'
          : 'Обновите страницу и повторите действие.';
      res.status(403).send(errorPage(session, 'Форма устарела', text));
    } else if (
      (error instanceof BackofficeError || error instanceof PasswordChecksBusyError) &&
      req.path === '/login'
    ) {
      if (error instanceof LoginThrottledError)
        res.set('Retry-After', String(error.retryAfterSeconds));
      if (error instanceof PasswordChecksBusyError) res.set('Retry-After', '1');
      const status = error instanceof BackofficeError ? BACKOFFICE_ERROR_STATUS[error.code] : 503;
      res.status(status).send(
        signInPage({
          csrf: req.signInCsrf ?? '',
          next: safeNext(req.body?.next),
          login: String(req.body?.login ?? ''),
          error: ERROR_TEXTS[error.code],
        }),
      );
    } else if (error instanceof BackofficeError && req.method === 'POST') {
      const reasons =
        error instanceof RevalidationFailedError ? `&reasons=${error.reasons.join(',')}` : '';
      res.redirect(303, `${pagePath(req)}?error=${error.code}${reasons}`);
    } else if (error instanceof BackofficeError) {
      const title = error.code === 'NOT_FOUND' ? 'Не найдено' : 'Запрос отклонён';
      res
        .status(BACKOFFICE_ERROR_STATUS[error.code])
        .send(errorPage(session, title, ERROR_TEXTS[error.code]));
    } else if (error instanceof HttpException) {
      const status = error.getStatus();
      const [title, text] =
        status === 404
          ? ['Не найдено', 'Такой страницы нет.']
          : error instanceof MalformedAddressException
            ? ['Неверная ссылка', 'Адрес страницы искажён. Проверьте ссылку.']
            : error instanceof UnfitInputException
              ? UNFIT_INPUT_PAGE
              : [`Ошибка ${status}`, error.message];
      res.status(status).send(errorPage(session, title, text));
    } else {
      const correlationId = logUnhandledPageError(this.logger, req.path, error);
      res
        .status(500)
        .send(
          errorPage(session, 'Внутренняя ошибка', `Сообщите администратору код ${correlationId}.`),
        );
    }
  }
}

/** The page a form was posted from: its action path without the last segment. */
function pagePath(req: Request): string {
  const path = req.path.replace(/\/[^/]*$/, '');
  return path === '' ? '/' : path;
}
