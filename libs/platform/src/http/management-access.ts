import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { answerDomainError } from '../errors/global-exception.filter';
import { DomainError } from '../errors/domain.error';
import { counter } from '../metrics/metrics';

const refused = counter(
  'management_access_refused_total',
  'Requests for /metrics or the OpenAPI pages refused for a missing or wrong management token',
);

/**
 * `/metrics`, and `/docs` with everything under it and beside it (`/docs-json`, `/docs-yaml`, the
 * page's assets). Express matches routes case-insensitively and with a trailing slash, so the
 * check does too: `/METRICS/` reaches the same handler as `/metrics`.
 */
const MANAGEMENT_PATH = /^\/(?:metrics|docs)(?:$|[/-])/i;

export function isManagementPath(path: string): boolean {
  return MANAGEMENT_PATH.test(path);
}

export class ManagementTokenRequiredError extends DomainError {
  constructor() {
    super('MANAGEMENT_TOKEN_REQUIRED', 'this endpoint needs the management bearer token');
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * With a token, the management endpoints answer only `Authorization: Bearer <token>`; without
 * one (`MANAGEMENT_TOKEN` empty, the development default) they stay open. Health probes are
 * never behind it. Both sides are hashed before the constant-time compare, so neither the
 * content nor the length of the token leaks through timing.
 */
export function managementAccess(token: string): RequestHandler {
  const expected = digest(`Bearer ${token}`);
  return (req: Request, res: Response, next: NextFunction) => {
    if (token === '' || !isManagementPath(req.path)) return next();
    const given = req.headers.authorization;
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    refused.inc();
    res.set('WWW-Authenticate', 'Bearer realm="management"');
    answerDomainError(res, 401, new ManagementTokenRequiredError());
  };
}
