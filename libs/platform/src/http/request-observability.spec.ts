import type { Request } from 'express';
import { requestIdOf, routeOf } from './request-observability';

describe('requestIdOf', () => {
  it.each([
    ['a UUID', '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11'],
    ['a plain token', 'kiosk-req-42'],
    ['dots, colons and underscores', 'lb:01.req_7'],
    ['128 characters', 'a'.repeat(128)],
  ])('keeps %s', (_name, id) => {
    expect(requestIdOf(id)).toBe(id);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['129 characters', 'a'.repeat(129)],
    ['spaces', 'two words'],
    ['an e-mail address', 'resident@example.org'],
    ['a newline (log injection)', 'id\n{"level":"error"}'],
    ['a leading dash', '-x'],
    ['quotes', '"x"'],
    ['a repeated header', ['a', 'b']],
  ])('replaces %s with a new UUID', (_name, header) => {
    expect(requestIdOf(header)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('routeOf', () => {
  const req = (route: unknown, baseUrl = '') => ({ route, baseUrl }) as unknown as Request;

  it.each<[string, Request, string]>([
    [
      'the matched pattern, not the path',
      req({ path: '/v1/submissions/:submissionId' }),
      '/v1/submissions/:submissionId',
    ],
    ['with the mount point', req({ path: '/:id' }, '/v1/review'), '/v1/review/:id'],
    ['no route matched', req(undefined), 'unmatched'],
    ['a route without a string path', req({ path: /x/ }), 'unmatched'],
  ])('%s', (_name, request, route) => {
    expect(routeOf(request)).toBe(route);
  });
});
