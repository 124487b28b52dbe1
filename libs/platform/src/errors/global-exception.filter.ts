import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  type ExceptionFilter,
  HttpException,
  Inject,
  Logger,
  type LoggerService,
  NotFoundException,
  Optional,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { type Observable, throwError } from 'rxjs';
import { PasswordChecksBusyError } from '../auth/password';
import {
  BrokerUnavailableError,
  DatabaseUnavailableError,
  DEPENDENCY_OUTAGE,
  type DependencyOutageCheck,
  DomainError,
  OUTAGE_RETRY_AFTER_SECONDS,
} from './domain.error';
import { isPageAddress } from '../http/page-address';
import { parsingErrorAsHttp } from '../http/request-parsing';

/** What an error adds to its JSON answer: Retry-After, and fields beside statusCode, error and message. */
export interface DomainErrorAnswer {
  retryAfterSeconds?: number;
  extra?: object;
}

/** An HTTP answer to a domain error, before it is written. */
export interface DomainErrorReply {
  status: number;
  /** Retry-After in whole seconds, at least 1; absent when retrying later would not help. */
  retryAfter?: string;
  body: { statusCode: number; error: string; message: string };
}

/** A wait as Retry-After gives it: whole seconds, rounded up, at least 1. */
export function wholeRetrySeconds(seconds: number): number {
  return Math.max(1, Math.ceil(seconds));
}

/**
 * How every HTTP edge answers a domain error: `{ statusCode, error, message, ...extra }`, with
 * Retry-After in whole seconds (at least 1) when the client may try again later.
 */
export function domainErrorReply(
  status: number,
  error: DomainError,
  { retryAfterSeconds, extra }: DomainErrorAnswer = {},
): DomainErrorReply {
  return {
    status,
    ...(retryAfterSeconds !== undefined && {
      retryAfter: String(wholeRetrySeconds(retryAfterSeconds)),
    }),
    body: { statusCode: status, error: error.code, message: error.message, ...extra },
  };
}

export function writeDomainErrorReply(res: Response, reply: DomainErrorReply): void {
  if (reply.retryAfter !== undefined) res.set('Retry-After', reply.retryAfter);
  res.status(reply.status).json(reply.body);
}

/** Answers `error` with `status`: `domainErrorReply`, written. */
export function answerDomainError(
  res: Response,
  status: number,
  error: DomainError,
  answer: DomainErrorAnswer = {},
): void {
  writeDomainErrorReply(res, domainErrorReply(status, error, answer));
}

/**
 * The outage an error stands for (Kafka or PostgreSQL out of reach, frozen or overloaded), or null
 * for any other error. `isOutage` recognises the driver's own errors, whose messages (addresses,
 * SQL) stay in the log rather than reach the client.
 */
export function outageOf(
  error: unknown,
  isOutage: DependencyOutageCheck,
): BrokerUnavailableError | DatabaseUnavailableError | null {
  if (error instanceof BrokerUnavailableError || error instanceof DatabaseUnavailableError)
    return error;
  return isOutage(error) ? new DatabaseUnavailableError('retry later') : null;
}

/**
 * Logs `line` about a failure that is tried again: a warning when `error` is an outage (nothing for
 * an operator to do but wait), an error otherwise.
 */
export function logRetriedFailure(
  logger: Pick<LoggerService, 'warn' | 'error'>,
  line: object,
  error: unknown,
  isOutage: DependencyOutageCheck,
): void {
  if (outageOf(error, isOutage)) logger.warn(line);
  else logger.error(line);
}

/**
 * The exception filter of an app's web pages, exported by the app's module when it has pages. It
 * also answers, as pages, the page addresses that no route took: an unknown address (404) or one
 * that does not decode (400).
 */
export const WEB_PAGES_FILTER = Symbol('WEB_PAGES_FILTER');

/** A page address with a malformed percent-escape (`/%ZZ`): a broken link, not a missing page. */
export class MalformedAddressException extends BadRequestException {
  constructor() {
    super('the address has a malformed percent-escape');
  }
}

function isDecodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The one place where unexpected failures become a 500 with a correlation id (and a log line), and
 * an outage of Kafka or PostgreSQL a 503 with Retry-After, so clients come back when it is over.
 * Each app answers its own errors with its filter and status map before this one; a domain error
 * that reaches it belongs to no app's map, and is a failure like any other.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  /** An app without PostgreSQL has no DEPENDENCY_OUTAGE provider, and no driver errors to recognise. */
  constructor(
    @Optional()
    @Inject(DEPENDENCY_OUTAGE)
    private readonly isOutage: DependencyOutageCheck = () => false,
    @Optional() @Inject(WEB_PAGES_FILTER) private readonly pages?: ExceptionFilter,
  ) {}

  catch(thrown: unknown, host: ArgumentsHost): void | Observable<never> {
    // Message handlers (the batch consumer) fail as they are, so the transport can retry the batch.
    if (host.getType() !== 'http') return throwError(() => thrown);
    const exception = parsingErrorAsHttp(thrown) ?? thrown;
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    if (res.headersSent) return;
    if (this.pages && isPageAddress(req.path)) {
      const malformed =
        (exception instanceof NotFoundException || exception instanceof BadRequestException) &&
        !isDecodable(req.path);
      return this.pages.catch(malformed ? new MalformedAddressException() : exception, host);
    }
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      res
        .status(exception.getStatus())
        .json(
          typeof body === 'string' ? { statusCode: exception.getStatus(), message: body } : body,
        );
      return;
    }
    if (exception instanceof PasswordChecksBusyError) {
      answerDomainError(res, 503, exception, { retryAfterSeconds: 1 });
      return;
    }
    const outage = outageOf(exception, this.isOutage);
    if (outage) {
      this.logger.warn({
        msg: 'retry later',
        method: req.method,
        path: req.path,
        error: (exception as Error)?.message ?? String(exception),
      });
      answerDomainError(res, 503, outage, { retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS });
      return;
    }
    const correlationId = randomUUID();
    this.logger.error({
      msg: 'unhandled error',
      correlationId,
      method: req.method,
      path: req.path,
      error: String(exception),
      stack: (exception as Error)?.stack,
    });
    res.status(500).json({ statusCode: 500, message: 'internal error', correlationId });
  }
}
