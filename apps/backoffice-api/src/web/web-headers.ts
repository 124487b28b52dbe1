import type { Response } from 'express';

/**
 * Headers of every UI response: pages may load only this origin's stylesheet and post forms only
 * here, run no script, and are neither framed nor cached. (Express answers a string as
 * `text/html; charset=utf-8`; the stylesheet route sets its own type.)
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
