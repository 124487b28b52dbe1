import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { answerDomainError } from '../errors/global-exception.filter';
import { DomainError } from '../errors/domain.error';
import { counter } from '../metrics/metrics';
import { addressBlock } from './address-block';
import { TokenBuckets } from './token-buckets';

/** Answers a request over its client's rate, in the app's own error format. */
export type RefuseRequest = (req: Request, res: Response, retryAfterSeconds: number) => void;

export class ClientRateLimitedError extends DomainError {
  declare readonly code: 'TOO_MANY_REQUESTS';

  constructor() {
    super('TOO_MANY_REQUESTS', 'too many requests from this address; retry later');
  }
}

/** The JSON apps' refusal: `{ statusCode: 429, error: "TOO_MANY_REQUESTS", message }` with Retry-After. */
export const refuseWithJson: RefuseRequest = (_req, res, retryAfterSeconds) =>
  answerDomainError(res, 429, new ClientRateLimitedError(), { retryAfterSeconds });

/**
 * The first gate of every HTTP app: a token bucket per client IP (`req.ip`, which honours
 * TRUSTED_PROXIES), checked before the body is read or any password is hashed. In memory, so it
 * costs nothing per request; health probes are exempt so an orchestrator never sees a refusal.
 */
export function clientRateLimit(
  perSecond: number,
  burst: number,
  refuse: RefuseRequest = refuseWithJson,
): RequestHandler {
  const buckets = new TokenBuckets(perSecond, burst);
  // Registered by the apps that install the gate, not by every app that loads this library.
  const refused = counter(
    'client_rate_limited_total',
    'Requests refused by the per-client-IP limit before anything else ran',
  );
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/health/')) return next();
    const address = req.ip ?? req.socket.remoteAddress ?? '';
    const wait = buckets.take(addressBlock(address), Date.now());
    if (wait === 0) return next();
    refused.inc();
    // The body is never read: close the connection after answering, or the client's unread
    // upload would be drained first.
    res.set('Connection', 'close');
    refuse(req, res, wait);
  };
}
