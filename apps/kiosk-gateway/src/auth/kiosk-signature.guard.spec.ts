import type { ExecutionContext } from '@nestjs/common';
import type { Decoded } from '@gw/contracts';
import { KioskError } from '../kiosk.errors';
import type { KioskAuthenticator, KioskRequest, VerifiedKioskRequest } from './kiosk-authenticator';
import { KioskSignatureGuard } from './kiosk-signature.guard';

const VERIFIED: Decoded<VerifiedKioskRequest> = {
  ok: true,
  value: { kioskId: 'K-1', nonce: 'n'.repeat(16), replayableUntilMs: 1 },
};
const CLAIMED: Decoded<void> = { ok: true, value: undefined };

function attempt({
  verify = async () => VERIFIED,
  claim = async () => CLAIMED,
}: {
  verify?: () => Promise<Decoded<VerifiedKioskRequest>>;
  claim?: () => Promise<Decoded<void>>;
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
  const context = {
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return {
    run: () => new KioskSignatureGuard(authenticator).canActivate(context),
    request,
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
    expect(verified[0]).toMatchObject({ method: 'GET', path: '/v1/kiosk/submissions/abc' });
    expect(claimed).toEqual([VERIFIED.ok && VERIFIED.value]);
  });

  it('answers 401 with the reason when the signature check fails, and claims no nonce', async () => {
    const { run, request, claimed } = attempt({
      verify: async () => ({ ok: false, error: 'unknown kiosk or wrong signature' }),
    });
    await expect(run()).rejects.toEqual(
      new KioskError('NOT_AUTHENTICATED', 'unknown kiosk or wrong signature'),
    );
    expect(request.kioskId).toBeUndefined();
    expect(claimed).toEqual([]);
  });

  it('answers 401 when the nonce was used before', async () => {
    const { run, request } = attempt({ claim: async () => USED });
    await expect(run()).rejects.toEqual(
      new KioskError('NOT_AUTHENTICATED', 'X-Nonce was already used'),
    );
    expect(request.kioskId).toBeUndefined();
  });

  it('lets the request through only once its nonce is claimed', async () => {
    let settle: (check: Decoded<void>) => void = () => undefined;
    const { run } = attempt({ claim: () => new Promise((resolve) => (settle = resolve)) });
    let through = false;
    const guarded = run().then((allowed) => (through = allowed));
    await new Promise((resolve) => setImmediate(resolve));
    expect(through).toBe(false);
    settle(CLAIMED);
    await guarded;
    expect(through).toBe(true);
  });

  it.each<[string, object]>([
    ['a refused connection', { code: 'ECONNREFUSED' }],
    ['a server shutting down', { code: '57P01' }],
    ['a broken pool connection', { message: 'Connection terminated unexpectedly' }],
  ])('answers 503 with Retry-After when the database is unavailable: %s', async (_name, error) => {
    const unavailable = {
      code: 'CREDENTIALS_UNAVAILABLE',
      message:
        'kiosk credentials and nonces cannot be checked now (database unavailable); retry later',
      retryAfterSeconds: 5,
    };
    await expect(attempt({ verify: failing(error) }).run()).rejects.toMatchObject(unavailable);
    await expect(attempt({ claim: failing(error) }).run()).rejects.toMatchObject(unavailable);
  });

  it('lets any other failure through to the global filter', async () => {
    const { run } = attempt({ verify: failing({ code: '42P01' }) });
    await expect(run()).rejects.toThrow('boom');
    await expect(run()).rejects.not.toBeInstanceOf(KioskError);
  });
});
