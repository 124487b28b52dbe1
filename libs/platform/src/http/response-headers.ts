import type { NextFunction, Request, Response } from 'express';

/**
 * The defaults of every answer, set before anything else runs so that refusals carry them too:
 * `Cache-Control: no-store`, since answers carry accounts, readings, audit entries and tokens that
 * no browser or proxy may keep, and `X-Content-Type-Options: nosniff`, so that no answer is read as
 * another type than it was sent as. Pages set their own headers over these (`setWebHeaders`), and
 * so does a route whose answer may be kept (a slip image).
 */
export function defaultResponseHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
}
