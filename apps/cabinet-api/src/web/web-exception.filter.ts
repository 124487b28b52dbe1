import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { isDatabaseUnavailable } from '@gw/persistence';
import {
  logUnhandledPageError,
  OUTAGE_RETRY_AFTER_SECONDS,
  outageOf,
  setWebHeaders,
  wholeRetrySeconds,
} from '@gw/platform';
import type { Response } from 'express';
import { CABINET_ERROR_STATUS, CabinetError } from '../cabinet.errors';
import { errorPage } from './pages/error.page';
import { ERROR_TEXTS_RU, retryText } from './page-texts';
import { type ResidentWebRequest, WebFormRejected, WebSignInRequired } from './resident-web.guard';
import { csrfToken } from './web-session';

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

/**
 * Failures of the residents' pages as pages in Russian, never JSON: no session leads to the
 * sign-in page; a forged or stale form is refused (403); another resident's account, like any
 * unknown one, is "not found" (404); an outage is a 503 with Retry-After.
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('CabinetWeb');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const [req, res] = [http.getRequest<ResidentWebRequest>(), http.getResponse<Response>()];
    setWebHeaders(res);
    const frame = {
      csrf: req.sessionToken ? csrfToken(req.sessionToken) : '',
      signedIn: req.sessionToken !== undefined,
    };
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
