import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Injectable,
  Logger,
} from '@nestjs/common';
import { isDatabaseUnavailable } from '@gw/persistence';
import {
  isPageAddress,
  logUnhandledPageError,
  OUTAGE_RETRY_AFTER_SECONDS,
  outageOf,
  type RefuseRequest,
  refuseWithJson,
  setWebHeaders,
  UNFIT_INPUT_PAGE,
  UnfitInputException,
  wholeRetrySeconds,
} from '@gw/platform';
import type { Request, Response } from 'express';
import { SessionTokens } from '../auth/session-tokens.service';
import { CabinetEnv } from '../cabinet.env';
import { CABINET_ERROR_STATUS, CabinetError } from '../cabinet.errors';
import { errorPage } from './pages/error.page';
import { ERROR_TEXTS_RU, retryText } from './page-texts';
import { type ResidentWebRequest, WebFormRejected, WebSignInRequired } from './resident-web.guard';
import { cookieOf, csrfToken, SESSION_COOKIE } from './web-session';

/**
 * A use case's refusal of a form, to show on the form again: its status, its Russian text (with
 * when to retry) and Retry-After set on the answer. Anything else is not a refusal: rethrown.
 */
export function refusalOf(error: unknown, res: Response): { status: number; text: string } {
  if (!(error instanceof CabinetError)) throw error;
  const retryAfter =
    error.retryAfterSeconds === undefined ? undefined : wholeRetrySeconds(error.retryAfterSeconds);
  if (retryAfter !== undefined) res.set('Retry-After', String(retryAfter));
  return {
    status: CABINET_ERROR_STATUS[error.code],
    text: ERROR_TEXTS_RU[error.code] + retryText(retryAfter),
  };
}

const TITLES: Record<number, string> = {
  400: 'Неверная ссылка',
  403: 'Форма устарела',
  404: 'Не найдено',
  429: 'Слишком много попыток',
  503: 'Сервис временно недоступен',
};

/** The header of a page for the holder of `sessionToken`: signed in with it, or signed out. */
const frameOf = (sessionToken: string | undefined) => ({
  csrf: sessionToken ? csrfToken(sessionToken) : '',
  signedIn: sessionToken !== undefined,
});

/**
 * A page request over its address's rate: the 429 page with Retry-After, the API's requests the
 * JSON refusal. Nothing is looked up, so the header follows the session cookie unchecked.
 */
export function refuseAsPage(cookieSecure: boolean): RefuseRequest {
  return (req: Request, res: Response, retryAfterSeconds: number) => {
    if (!isPageAddress(req.path)) return refuseWithJson(req, res, retryAfterSeconds);
    setWebHeaders(res);
    res
      .set('Retry-After', String(retryAfterSeconds))
      .status(429)
      .send(
        errorPage(
          frameOf(cookieOf(req, SESSION_COOKIE, cookieSecure)),
          TITLES[429],
          'Слишком много запросов с вашего адреса.' + retryText(retryAfterSeconds),
        ),
      );
  };
}

/**
 * Failures of the residents' pages as pages in Russian, never JSON: no session leads to the
 * sign-in page; a forged or stale form is refused (403); another resident's account, like any
 * unknown one, is "not found" (404); an outage is a 503 with Retry-After. An address no guard
 * admitted (unknown, malformed, or a page before sign-in) has its session checked here as the
 * guard checks it, so the page shows the header of the visitor's state.
 */
@Catch()
@Injectable()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('CabinetWeb');

  constructor(
    private readonly tokens: SessionTokens,
    private readonly env: CabinetEnv,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void | Promise<void> {
    const req = host.switchToHttp().getRequest<ResidentWebRequest>();
    const token = cookieOf(req, SESSION_COOKIE, this.env.CABINET_COOKIE_SECURE);
    if (!(error instanceof HttpException) || req.sessionToken !== undefined || !token)
      return this.answer(error, host, req.sessionToken);
    return this.tokens.verify(token).then(
      (session) => this.answer(error, host, session ? token : undefined),
      (failure: unknown) => this.answer(failure, host, undefined),
    );
  }

  private answer(error: unknown, host: ArgumentsHost, sessionToken: string | undefined): void {
    const http = host.switchToHttp();
    const [req, res] = [http.getRequest<ResidentWebRequest>(), http.getResponse<Response>()];
    setWebHeaders(res);
    const frame = frameOf(sessionToken);
    const page = (status: number, text: string) =>
      res.status(status).send(errorPage(frame, TITLES[status] ?? `Ошибка ${status}`, text));
    const outage = outageOf(error, isDatabaseUnavailable);
    if (outage) {
      this.logger.warn({ msg: 'retry later', path: req.path, error: String(error) });
      res.set('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
      page(503, 'Повторите через минуту: сервис временно недоступен.');
    } else if (error instanceof WebSignInRequired) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/login${next}`);
    } else if (error instanceof WebFormRejected) {
      page(403, 'Форма устарела или отправлена не с этой страницы. Обновите страницу и повторите.');
    } else if (error instanceof CabinetError) {
      const refusal = refusalOf(error, res);
      page(refusal.status, refusal.text);
    } else if (error instanceof UnfitInputException) {
      res.status(400).send(errorPage(frame, ...UNFIT_INPUT_PAGE));
    } else if (error instanceof HttpException) {
      const status = error.getStatus();
      page(status, status === 404 ? 'Такой страницы нет.' : 'Запрос не удалось выполнить.');
    } else {
      const correlationId = logUnhandledPageError(this.logger, req.path, error);
      page(
        500,
        `Внутренняя ошибка. Если она повторится, сообщите в поддержку код ${correlationId}.`,
      );
    }
  }
}
