import {
  type ExecutionContext,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Decoded } from '@gw/contracts';
import type { KioskAuthenticator, KioskRequest, VerifiedKioskRequest } from './kiosk-authenticator';
import type { NonceClaim } from '../http/kiosk-http-request';
import { AwaitsNonceClaim, KioskSignatureGuard } from './kiosk-signature.guard';

class Handlers {
  @AwaitsNonceClaim()
  awaitsClaim(): void {}

  plain(): void {}
}

const VERIFIED: Decoded<VerifiedKioskRequest> = {
  ok: true,
  value: { kioskId: 'K-1', nonce: 'n'.repeat(16), replayableUntilMs: 1 },
};
const CLAIMED: Decoded<void> = { ok: true, value: undefined };

function attempt({
  verify = async () => VERIFIED,
  claim = async () => CLAIMED,
  handler = Handlers.prototype.plain,
}: {
  verify?: () => Promise<Decoded<VerifiedKioskRequest>>;
  claim?: () => Promise<Decoded<void>>;
  handler?: () => void;
}) {
  const verified: KioskRequest[] = [];
  const claimed: VerifiedKioskRequest[] = [];
  const authenticator = {
    verify: (request: KioskRequest) => {
      verified.push(request);
      return verify();
    },
    claimNonce: (request: VerifiedKioskRequest) => {
      claimed.push(request);
      return claim();
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
    getHandler: () => handler,
    switchToHttp: () => ({
      getRequest: () => request,
      getResponse: () => ({ setHeader: (name: string, value: string) => (headers[name] = value) }),
    }),
  } as unknown as ExecutionContext;
  return {
    run: () => new KioskSignatureGuard(authenticator, new Reflector()).canActivate(context),
    request,
    headers,
    verified,
    claimed,
  };
}

const failing = (error: object) => () => Promise.reject(Object.assign(new Error('boom'), error));
const USED: Decoded<void> = { ok: false, error: 'X-Nonce was already used' };

describe('KioskSignatureGuard', () => {
  it('lets a request through once its nonce is claimed, naming its kiosk, and checks the signed path without the query', async () => {
    const { run, request, verified, claimed } = attempt({});
    await expect(run()).resolves.toBe(true);
    expect(request.kioskId).toBe('K-1');
    await expect((request.nonceClaim as NonceClaim).done).resolves.toBeUndefined();
    expect(verified[0]).toMatchObject({ method: 'GET', path: '/v1/kiosk/submissions/abc' });
    expect(claimed).toEqual([VERIFIED.ok && VERIFIED.value]);
  });

  it('answers 401 with the reason when the signature check fails, and claims no nonce', async () => {
    const { run, request, claimed } = attempt({
      verify: async () => ({ ok: false, error: 'unknown kiosk or wrong signature' }),
    });
    await expect(run()).rejects.toEqual(
      new UnauthorizedException('unknown kiosk or wrong signature'),
    );
    expect(request.kioskId).toBeUndefined();
    expect(claimed).toEqual([]);
  });

  it('answers 401 when the nonce was used before', async () => {
    const { run } = attempt({ claim: async () => USED });
    await expect(run()).rejects.toEqual(new UnauthorizedException('X-Nonce was already used'));
  });

  it('lets a handler that awaits the claim itself start before the claim settles', async () => {
    let settle: (check: Decoded<void>) => void = () => undefined;
    const { run, request } = attempt({
      claim: () => new Promise((resolve) => (settle = resolve)),
      handler: Handlers.prototype.awaitsClaim,
    });
    await expect(run()).resolves.toBe(true);
    const claim = (request.nonceClaim as NonceClaim).done;
    let settled = false;
    void claim.catch(() => undefined).finally(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    settle(USED);
    await expect(claim).rejects.toEqual(new UnauthorizedException('X-Nonce was already used'));
  });

  it.each<[string, object]>([
    ['a refused connection', { code: 'ECONNREFUSED' }],
    ['a server shutting down', { code: '57P01' }],
    ['a broken pool connection', { message: 'Connection terminated unexpectedly' }],
  ])('answers 503 with Retry-After when the database is unavailable: %s', async (_name, error) => {
    const unavailable = new ServiceUnavailableException(
      'kiosk credentials and nonces cannot be checked now (database unavailable); retry later',
    );
    const lookup = attempt({ verify: failing(error) });
    await expect(lookup.run()).rejects.toEqual(unavailable);
    expect(lookup.headers['Retry-After']).toBe('5');

    const claim = attempt({ claim: failing(error), handler: Handlers.prototype.awaitsClaim });
    await expect(claim.run()).resolves.toBe(true);
    await expect((claim.request.nonceClaim as NonceClaim).done).rejects.toEqual(unavailable);
    expect(claim.headers['Retry-After']).toBe('5');
  });

  it('lets any other failure through to the global filter', async () => {
    const { run, headers } = attempt({ verify: failing({ code: '42P01' }) });
    await expect(run()).rejects.toThrow('boom');
    expect(headers).toEqual({});
  });
});
