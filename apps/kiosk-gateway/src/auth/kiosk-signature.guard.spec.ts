import {
  type ExecutionContext,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { KioskAuthentication, KioskAuthenticator, KioskRequest } from './kiosk-authenticator';
import { KioskSignatureGuard } from './kiosk-signature.guard';

function attempt(outcome: () => Promise<KioskAuthentication>) {
  const seen: KioskRequest[] = [];
  const authenticator = {
    authenticate: (request: KioskRequest) => {
      seen.push(request);
      return outcome();
    },
  } as unknown as KioskAuthenticator;
  const request: Record<string, unknown> = {
    headers: { 'x-kiosk-id': 'K-1' },
    method: 'GET',
    originalUrl: '/v1/kiosk/submissions/abc?x=1',
    body: Buffer.alloc(0),
  };
  const headers: Record<string, string> = {};
  const context = {
    switchToHttp: () => ({
      getRequest: () => request,
      getResponse: () => ({ setHeader: (name: string, value: string) => (headers[name] = value) }),
    }),
  } as unknown as ExecutionContext;
  return {
    run: () => new KioskSignatureGuard(authenticator).canActivate(context),
    request,
    headers,
    seen,
  };
}

const failing = (error: object) => () => Promise.reject(Object.assign(new Error('boom'), error));

describe('KioskSignatureGuard', () => {
  it('lets an authenticated request through, naming its kiosk, and checks the signed path without the query', async () => {
    const { run, request, seen } = attempt(async () => ({ ok: true, kioskId: 'K-1' }));
    await expect(run()).resolves.toBe(true);
    expect(request.kioskId).toBe('K-1');
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v1/kiosk/submissions/abc' });
  });

  it('answers 401 with the reason when authentication fails', async () => {
    const { run, request } = attempt(async () => ({
      ok: false,
      error: 'X-Nonce was already used',
    }));
    await expect(run()).rejects.toEqual(new UnauthorizedException('X-Nonce was already used'));
    expect(request.kioskId).toBeUndefined();
  });

  it.each<[string, object]>([
    ['a refused connection', { code: 'ECONNREFUSED' }],
    ['a server shutting down', { code: '57P01' }],
    ['a broken pool connection', { message: 'Connection terminated unexpectedly' }],
  ])('answers 503 with Retry-After when the database is unavailable: %s', async (_name, error) => {
    const { run, headers } = attempt(failing(error));
    await expect(run()).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(headers['Retry-After']).toBe('5');
  });

  it('lets any other failure through to the global filter', async () => {
    const { run, headers } = attempt(failing({ code: '42P01' }));
    await expect(run()).rejects.toThrow('boom');
    expect(headers).toEqual({});
  });
});
