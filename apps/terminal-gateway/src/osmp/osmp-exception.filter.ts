import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { RefuseRequest } from '@gw/platform';
import type { Request, Response } from 'express';
import type { TerminalRequest } from '../auth/terminal-auth.guard';
import { commandLabel, osmpRequests } from './osmp-metrics';
import { echoOf } from './osmp-params';
import { OSMP_RESULT, osmpFailure } from './osmp-result';
import { OSMP_CONTENT_TYPE, type OsmpReply, renderOsmpReply } from './osmp-xml';

/** How every refusal is answered, by the filter and at the edge alike: counted, then XML. */
function answerInOsmp(
  res: Response,
  status: number,
  counted: { command: string; result: string },
  reply: OsmpReply,
): void {
  osmpRequests.inc(counted);
  res.status(status).type(OSMP_CONTENT_TYPE).send(renderOsmpReply(reply));
}

/**
 * Every failure of the OSMP endpoint answered in the protocol's XML: wrong credentials as HTTP 401,
 * a request that could not be read (too large, another charset) with its 4xx, everything else as
 * HTTP 200 with the result code `osmpFailure` gives (PostgreSQL down while
 * authenticating is result 1 too, never a 401 that would make a terminal give up).
 */
@Catch()
export class OsmpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Osmp');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<TerminalRequest>();
    const response = http.getResponse<Response>();
    const echo = echoOf(request.query, request.body);
    const command = commandLabel(request.query?.command ?? request.body?.command);
    if (exception instanceof UnauthorizedException) {
      response.set('WWW-Authenticate', 'Basic realm="terminal-gateway", charset="UTF-8"');
      answerInOsmp(
        response,
        401,
        { command, result: 'unauthorized' },
        { ...echo, result: OSMP_RESULT.other, comment: 'wrong terminal credentials' },
      );
      return;
    }
    const failure = osmpFailure(exception);
    let comment = failure.comment;
    const context = { terminal: request.terminal?.terminalId, command, txnId: echo.osmpTxnId };
    if (!failure.expected) {
      const correlationId = randomUUID();
      comment = `${comment} ${correlationId}`;
      this.logger.error({
        msg: 'unhandled error',
        correlationId,
        ...context,
        error: String(exception),
        stack: (exception as Error)?.stack,
      });
    } else if (failure.result === OSMP_RESULT.retryLater) {
      this.logger.warn({ msg: 'retry later', ...context, error: (exception as Error).message });
    }
    answerInOsmp(
      response,
      failure.httpStatus,
      { command, result: String(failure.result) },
      { ...echo, result: failure.result, comment },
    );
  }
}

/**
 * A terminal over its address's request rate, refused before its body or credentials are read:
 * HTTP 429 with Retry-After and result 1, so it retries later like after any temporary error.
 */
export const refuseInOsmp: RefuseRequest = (req: Request, res: Response, retryAfterSeconds) => {
  res.set('Retry-After', String(retryAfterSeconds));
  answerInOsmp(
    res,
    429,
    { command: commandLabel(req.query?.command), result: 'rate_limited' },
    {
      ...echoOf(req.query, undefined),
      result: OSMP_RESULT.retryLater,
      comment: 'too many requests from this address, retry later',
    },
  );
};
