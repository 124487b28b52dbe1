import { type ArgumentsHost, Catch, type ExceptionFilter, type Type } from '@nestjs/common';
import type { Response } from 'express';
import type { DomainError } from './domain.error';
import type { StatusMapOf } from './error-status-map';
import {
  type DomainErrorAnswer,
  type DomainErrorReply,
  domainErrorReply,
  writeDomainErrorReply,
} from './global-exception.filter';

/** An app's exception filter for its error class; `reply` is what `catch` writes. */
export interface DomainErrorFilter<E extends DomainError> extends ExceptionFilter<E> {
  reply(error: E): DomainErrorReply;
}

/**
 * The exception filter of one app's error class: each error answered with the status its code maps
 * to, as `{ statusCode, error, message, ...extra }` (answerDomainError). Everything else goes on to
 * the global filter. Nothing is written once the answer has started or the client has gone.
 */
export function domainErrorFilter<E extends DomainError>(
  errorClass: abstract new (...args: never[]) => E,
  statuses: StatusMapOf<E>,
  answerOf: (error: E) => DomainErrorAnswer = () => ({}),
): Type<DomainErrorFilter<E>> {
  @Catch(errorClass)
  class AppErrorFilter implements DomainErrorFilter<E> {
    reply(error: E): DomainErrorReply {
      return domainErrorReply(
        (statuses as Record<string, number>)[error.code],
        error,
        answerOf(error),
      );
    }

    catch(error: E, host: ArgumentsHost): void {
      const res = host.switchToHttp().getResponse<Response>();
      if (res.headersSent || res.destroyed) return;
      writeDomainErrorReply(res, this.reply(error));
    }
  }
  return AppErrorFilter;
}
