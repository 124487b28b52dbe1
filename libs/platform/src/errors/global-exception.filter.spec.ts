import { PasswordChecksBusyError } from '../auth/password';
import { recordingHttpHost } from '../testing/recording-http-host';
import { BrokerUnavailableError, DatabaseUnavailableError, DomainError } from './domain.error';
import { NotFoundException } from '@nestjs/common';
import {
  GlobalExceptionFilter,
  MalformedAddressException,
  outageOf,
} from './global-exception.filter';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
  code: 'ECONNREFUSED',
});
const isRefused = (error: unknown) => (error as { code?: string })?.code === 'ECONNREFUSED';

describe('outageOf', () => {
  it('passes a broker or database outage through as it is', () => {
    const broker = new BrokerUnavailableError('no acknowledgement within 10000 ms');
    const database = new DatabaseUnavailableError('not connected yet');
    expect(outageOf(broker, () => false)).toBe(broker);
    expect(outageOf(database, () => false)).toBe(database);
  });

  it('names a driver error the check recognises a database outage, without its details', () => {
    const outage = outageOf(refused, isRefused);
    expect(outage).toBeInstanceOf(DatabaseUnavailableError);
    expect(outage).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: 'database unavailable: retry later',
    });
  });

  it.each([
    ['a domain error', new DomainError('NOT_FOUND', 'no such meter')],
    ['a bug', new TypeError('x is undefined')],
    ['a driver error the check does not recognise', refused],
  ])('is null for %s', (_name, error) => {
    expect(outageOf(error, () => false)).toBeNull();
  });
});

describe('GlobalExceptionFilter', () => {
  const request = { method: 'POST', path: '/v1/things' };
  const filter = new GlobalExceptionFilter(isRefused);

  it.each([
    [
      'an outage',
      refused,
      503,
      { 'Retry-After': '5' },
      {
        statusCode: 503,
        error: 'DATABASE_UNAVAILABLE',
        message: 'database unavailable: retry later',
      },
    ],
    [
      'too many password checks',
      new PasswordChecksBusyError(),
      503,
      { 'Retry-After': '1' },
      {
        statusCode: 503,
        error: 'PASSWORD_CHECKS_BUSY',
        message: 'too many sign-ins at once; retry in a moment',
      },
    ],
  ])('answers %s with %s and Retry-After', (_name, error, status, headers, body) => {
    const { host, written } = recordingHttpHost(request);
    filter.catch(error, host);
    expect(written).toEqual({ status, headers, body });
  });

  it.each([
    ['a bug', new TypeError('x is undefined')],
    ['a domain error no app maps', new DomainError('NOT_FOUND', 'no such meter')],
  ])('answers %s with 500 and a correlation id, never its message', (_name, error) => {
    const { host, written } = recordingHttpHost(request);
    filter.catch(error, host);
    expect(written).toEqual({
      status: 500,
      headers: {},
      body: { statusCode: 500, message: 'internal error', correlationId: expect.any(String) },
    });
  });

  describe('with web pages', () => {
    const pages = { catch: jest.fn() };
    const withPages = new GlobalExceptionFilter(isRefused, pages);

    beforeEach(() => pages.catch.mockClear());

    it.each([
      ['/no-such-page', NotFoundException],
      ['/%ZZ', MalformedAddressException],
      ['/accounts/%E0%A4%A', MalformedAddressException],
    ])('hands %s to the pages’ filter', (path, expected) => {
      const { host } = recordingHttpHost({ method: 'GET', path });
      withPages.catch(new NotFoundException(`Cannot GET ${path}`), host);
      expect(pages.catch).toHaveBeenCalledWith(expect.any(expected), host);
    });

    it.each(['/v1/nope', '/V1/%ZZ', '/health/nope', '/metrics/x', '/docs/x'])(
      'answers %s in JSON',
      (path) => {
        const { host, written } = recordingHttpHost({ method: 'GET', path });
        withPages.catch(new NotFoundException('Cannot GET'), host);
        expect(pages.catch).not.toHaveBeenCalled();
        expect(written.status).toBe(404);
      },
    );
  });
});
