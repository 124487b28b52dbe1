import {
  clearedSessionCookie,
  csrfMatches,
  csrfToken,
  readCookie,
  safeNext,
  sessionCookie,
  sessionCookieName,
} from './web-session';

describe('web session helpers', () => {
  it.each([
    ['a=1; bo_session=tok.en; b=2', 'tok.en'],
    ['bo_session=x', 'x'],
    ['other=1', undefined],
    [undefined, undefined],
    ['xbo_session=1', undefined],
  ])('reads the session cookie from %p', (header, expected) => {
    expect(readCookie(header, 'bo_session')).toBe(expected);
  });

  it('derives a per-session anti-forgery value and compares it safely', () => {
    expect(csrfToken('a')).not.toBe(csrfToken('b'));
    expect(csrfMatches('a', csrfToken('a'))).toBe(true);
    expect(csrfMatches('a', csrfToken('b'))).toBe(false);
    expect(csrfMatches('a', undefined)).toBe(false);
    expect(csrfMatches('a', ['x'])).toBe(false);
  });

  it.each([
    ['/review/1', '/review/1'],
    ['/', '/'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    [undefined, '/'],
    ['/a b', '/'],
  ])('follows only local paths after sign-in: %p', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it('sets a __Host- prefixed, Secure, HttpOnly, SameSite=Strict cookie for HTTPS', () => {
    expect(sessionCookie('t', 60, true)).toBe(
      '__Host-bo_session=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure',
    );
  });

  it('drops Secure and the __Host- prefix only for plain HTTP', () => {
    expect(sessionCookie('t', 60, false)).toBe(
      'bo_session=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=60',
    );
  });

  it('clears the cookie under the name it was set with', () => {
    expect(clearedSessionCookie(true)).toBe(
      '__Host-bo_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure',
    );
    expect(sessionCookieName(false)).toBe('bo_session');
  });
});
