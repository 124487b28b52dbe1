import type { Response } from 'express';

/**
 * Headers of every server-rendered page: it may load only this origin's stylesheet and images,
 * post forms only here, run no script, and is neither framed nor cached. (Express answers a string
 * as `text/html; charset=utf-8`; a stylesheet route sets its own type.)
 */
export function setWebHeaders(res: Response): void {
  res.set({
    'Content-Security-Policy':
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
}

/**
 * A static asset's answer (a stylesheet, an icon), which browsers may keep `seconds`. Set in the
 * handler: the page headers, set before it runs, say `no-store`.
 */
export function keepFor(res: Response, seconds: number): void {
  res.set('Cache-Control', `public, max-age=${seconds}`);
}
