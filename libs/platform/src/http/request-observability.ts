import {
  type CallHandler,
  type ExecutionContext,
  type INestApplication,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { childSpan, newTrace, parseTraceparent, TRACEPARENT_HEADER } from '@gw/contracts';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { Observable } from 'rxjs';
import { histogram } from '../metrics/metrics';
import { Tracer } from '../tracing/tracer';
import { type RequestContext, runInRequest } from './request-context';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller's request id is kept when it is a plain token: no spaces, quotes, `@` or control characters. */
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Probes and scrapes come every few seconds: logged at debug, not to drown the requests that matter. */
const QUIET_ROUTES = /^\/(health|metrics)(\/|$)/;

const duration = histogram(
  'http_request_duration_seconds',
  'HTTP requests by method, route pattern and status class, from the first byte in to the last byte out',
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  ['method', 'route', 'status_class'],
);

const CONTEXT = Symbol('requestContext');
type WithContext = Request & { [CONTEXT]?: RequestContext };

/**
 * The route pattern that served a request (`/v1/submissions/:submissionId`), never the raw path:
 * paths carry ids and would make a label per request. Requests no route matched share one label.
 */
export function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}

export function requestIdOf(header: unknown): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * One JSON log line, one histogram observation and one server span per request, and the request's
 * context (id and trace span) for everything that serves it. Only the method, the route pattern,
 * the status, the duration and the ids are logged or put on the span: never the path's values,
 * the query, the body or any header. Probes and scrapes make no span.
 */
export function requestObservability(logger: Logger, tracer: Tracer | null = null) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const startMs = Date.now();
    const caller = parseTraceparent(req.headers[TRACEPARENT_HEADER]);
    const context: RequestContext = {
      requestId: requestIdOf(req.headers['x-request-id']),
      trace: caller ? childSpan(caller) : newTrace(),
    };
    (req as WithContext)[CONTEXT] = context;
    res.setHeader(REQUEST_ID_HEADER, context.requestId);
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req);
      const status = res.statusCode;
      duration.observe(
        { method: req.method, route, status_class: `${Math.floor(status / 100)}xx` },
        seconds,
      );
      const line = {
        msg: 'request',
        method: req.method,
        route,
        status,
        durationMs: Math.round(seconds * 1e4) / 10,
        requestId: context.requestId,
        traceId: context.trace.traceId,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (QUIET_ROUTES.test(route)) {
        logger.debug(line);
        return;
      }
      logger.log(line);
      tracer?.record({
        span: context.trace,
        parentSpanId: caller?.spanId,
        name: `${req.method} ${route}`,
        kind: 'server',
        startMs,
        endMs: startMs + seconds * 1000,
        attributes: {
          'http.request.method': req.method,
          'http.route': route,
          'http.response.status_code': status,
          'http.request.id': context.requestId,
          ...(line.aborted ? { 'http.aborted': true } : {}),
        },
        ...(status >= 500 ? { error: `HTTP ${status}` } : {}),
      });
    });
    runInRequest(context, next);
  };
}

/**
 * Puts the request's context back around its handler: body parsers and streams call on in the
 * socket's async context, where the middleware's is lost. Message handlers pass through.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.getType() === 'http' ? context.switchToHttp().getRequest() : null;
    const found = (request as WithContext | null)?.[CONTEXT];
    if (!found) return next.handle();
    return new Observable((subscriber) =>
      runInRequest(found, () => next.handle().subscribe(subscriber)),
    );
  }
}

/** The app's Tracer; null for an app without one (no InfrastructureModule). */
function tracerOf(app: INestApplication): Tracer | null {
  try {
    return app.get(Tracer, { strict: false });
  } catch {
    return null;
  }
}

/** Request logs, request ids, trace context and the duration histogram for every HTTP app. */
export function useRequestObservability(app: INestApplication): void {
  app.use(requestObservability(new Logger('HttpRequest'), tracerOf(app)));
  app.useGlobalInterceptors(new RequestContextInterceptor());
}
