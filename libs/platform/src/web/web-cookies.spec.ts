import type { Request, Response } from 'express';
import { formCookieSecret } from './web-cookies';

describe('formCookieSecret', () => {
  const cookie = { name: 'x_form', maxAgeSeconds: 600, secure: true };
  const KEPT = 'k'.repeat(43);

  /** The secret for a request with `header` as its Cookie, and the Set-Cookie lines answered. */
  function secretFor(header: string | undefined): { secret: string; set: string[] } {
    const set: string[] = [];
    const res = { append: (_: string, line: string) => set.push(line) } as unknown as Response;
    const secret = formCookieSecret({ headers: { cookie: header } } as Request, res, cookie);
    return { secret, set };
  }

  it.each([
    ['no cookie', undefined],
    ['a malformed one', '__Host-x_form=short'],
    ['the bare name over HTTPS', `x_form=${KEPT}`],
  ])('issues a fresh random secret for %s', (_, header) => {
    const { secret, set } = secretFor(header);
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(secret).not.toBe(secretFor(header).secret);
    expect(set).toEqual([
      `__Host-x_form=${secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=600; Secure`,
    ]);
  });

  it('keeps the visitor’s secret and sets it again, so it lasts past the last form shown', () => {
    const { secret, set } = secretFor(`a=1; __Host-x_form=${KEPT}`);
    expect(secret).toBe(KEPT);
    expect(set).toEqual([
      `__Host-x_form=${KEPT}; Path=/; HttpOnly; SameSite=Strict; Max-Age=600; Secure`,
    ]);
  });
});
