import { KIOSK_HEADERS, KIOSK_PATHS, signKioskRequest } from '@gw/contracts';
import type { SecretBox } from '@gw/platform';
import type { KioskRepository, NonceToClaim } from '../persistence/kiosk.repository';
import {
  KIOSK_SECRET_CACHE_MS,
  KioskAuthenticator,
  SECRET_RELOAD_INTERVAL_MS,
  UNKNOWN_KIOSK_CACHE_MS,
} from './kiosk-authenticator';

/** A nonce store whose statements finish when the test says so, recording what each one got. */
function nonceStore(used: Set<string>) {
  const statements: NonceToClaim[][] = [];
  const clocks: Date[] = [];
  const finish: (() => void)[] = [];
  const kiosks = {
    claimNonces: (claims: NonceToClaim[], now: Date) => {
      statements.push(claims);
      clocks.push(now);
      return new Promise<boolean[]>((resolve) =>
        finish.push(() => resolve(claims.map((c) => !used.has(c.nonce)))),
      );
    },
  } as unknown as KioskRepository;
  return {
    statements,
    clocks,
    finish,
    authenticator: new KioskAuthenticator(kiosks, {} as SecretBox),
  };
}

const verified = (nonce: string) => ({ kioskId: 'K-1', nonce, replayableUntilMs: 300_000 });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KioskAuthenticator.claimNonce', () => {
  it('claims the nonces of requests made while a claim is in flight in one statement', async () => {
    const { statements, clocks, finish, authenticator } = nonceStore(new Set(['used-nonce-0001']));
    const first = authenticator.claimNonce(verified('fresh-nonce-0001'), 1000);
    const later = [
      authenticator.claimNonce(verified('fresh-nonce-0002'), 1500),
      authenticator.claimNonce(verified('used-nonce-0001'), 2000),
    ];
    await tick();
    expect(statements.map((s) => s.map((c) => c.nonce))).toEqual([['fresh-nonce-0001']]);
    finish[0]();
    await expect(first).resolves.toEqual({ ok: true, value: undefined });
    await tick();
    expect(statements[1].map((c) => c.nonce)).toEqual(['fresh-nonce-0002', 'used-nonce-0001']);
    expect(statements[1][0].expiresAt).toEqual(new Date(300_000));
    // A nonce counts as expired by the latest clock of the requests claiming together.
    expect(clocks[1]).toEqual(new Date(2000));
    finish[1]();
    await expect(Promise.all(later)).resolves.toEqual([
      { ok: true, value: undefined },
      { ok: false, error: 'X-Nonce was already used: sign every request anew' },
    ]);
  });

  it('fails every claim of a statement that fails, so each request hears why', async () => {
    const kiosks = {
      claimNonces: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
    } as unknown as KioskRepository;
    const authenticator = new KioskAuthenticator(kiosks, {} as SecretBox);
    const claims = [
      authenticator.claimNonce(verified('fresh-nonce-0003'), 1000),
      authenticator.claimNonce(verified('fresh-nonce-0004'), 1000),
    ];
    for (const claim of claims) await expect(claim).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('KioskAuthenticator.verify', () => {
  const SECRET = 'kiosk-secret-of-k-1';
  /** A request signed with `secret` (by default the kiosk's) at `nowMs`. */
  const signed = (nowMs: number, secret = SECRET) => {
    const timestamp = String(Math.floor(nowMs / 1000));
    const nonce = `nonce-${nowMs}-0123456789`;
    const parts = { timestamp, nonce, method: 'GET', path: KIOSK_PATHS.readings, body: '' };
    return {
      method: 'GET',
      path: KIOSK_PATHS.readings,
      body: Buffer.alloc(0),
      headers: {
        [KIOSK_HEADERS.kioskId]: 'K-1',
        [KIOSK_HEADERS.timestamp]: timestamp,
        [KIOSK_HEADERS.nonce]: nonce,
        [KIOSK_HEADERS.signature]: signKioskRequest(secret, parts),
      },
    };
  };

  it('refuses a kiosk whose lookup stops finding it (disabled) once the cached secret is older than the cache bound, and not before', async () => {
    let enabled = true;
    let lookups = 0;
    const kiosks = {
      findSealedSecret: async () => {
        lookups += 1;
        return enabled ? SECRET : null;
      },
    } as unknown as KioskRepository;
    const box = { open: (sealed: string) => sealed } as unknown as SecretBox;
    const authenticator = new KioskAuthenticator(kiosks, box);
    const start = 1_800_000_000_000;
    const verify = async (atMs: number) => (await authenticator.verify(signed(atMs), atMs)).ok;

    expect(await verify(start)).toBe(true);
    enabled = false;
    expect(await verify(start + KIOSK_SECRET_CACHE_MS - 1)).toBe(true);
    expect(lookups).toBe(1);
    expect(await verify(start + KIOSK_SECRET_CACHE_MS)).toBe(false);
    enabled = true;
    // A refusal is remembered briefly: within that time the kiosk is not looked up again.
    expect(await verify(start + KIOSK_SECRET_CACHE_MS + UNKNOWN_KIOSK_CACHE_MS - 1)).toBe(false);
    expect(lookups).toBe(2);
    expect(await verify(start + KIOSK_SECRET_CACHE_MS + UNKNOWN_KIOSK_CACHE_MS)).toBe(true);
    expect(lookups).toBe(3);
  });
  it('reads the secret again for a wrong signature at most once per reload interval', async () => {
    let stored = SECRET;
    let lookups = 0;
    const kiosks = {
      findSealedSecret: async () => {
        lookups += 1;
        return stored;
      },
    } as unknown as KioskRepository;
    const box = { open: (sealed: string) => sealed } as unknown as SecretBox;
    const authenticator = new KioskAuthenticator(kiosks, box);
    const start = 1_800_000_000_000;
    const verify = async (atMs: number, secret?: string) =>
      (await authenticator.verify(signed(atMs, secret), atMs)).ok;

    expect(await verify(start)).toBe(true);
    // A flood of forged signatures naming the kiosk costs no lookup within the interval...
    for (let ms = 1; ms < SECRET_RELOAD_INTERVAL_MS; ms += 10)
      expect(await verify(start + ms, 'forged-secret')).toBe(false);
    expect(lookups).toBe(1);
    // ...and one past it.
    expect(await verify(start + SECRET_RELOAD_INTERVAL_MS, 'forged-secret')).toBe(false);
    expect(lookups).toBe(2);

    // A new secret (`kiosk add` again) works once the interval since the last read is past.
    stored = 'kiosk-secret-of-k-1-reissued';
    expect(await verify(start + 2 * SECRET_RELOAD_INTERVAL_MS - 1, stored)).toBe(false);
    expect(await verify(start + 2 * SECRET_RELOAD_INTERVAL_MS, stored)).toBe(true);
    expect(lookups).toBe(3);
  });
});

describe('KioskAuthenticator.screen', () => {
  const headersAt = (kioskId: string, nowMs: number) => ({
    [KIOSK_HEADERS.kioskId]: kioskId,
    [KIOSK_HEADERS.timestamp]: String(Math.floor(nowMs / 1000)),
    [KIOSK_HEADERS.nonce]: 'nonce-0123456789abcdef',
    [KIOSK_HEADERS.signature]: 'a'.repeat(64),
  });
  const screening = () => {
    const looked: string[] = [];
    const kiosks = {
      findSealedSecret: async (kioskId: string) => {
        looked.push(kioskId);
        return kioskId === 'K-KNOWN' ? 'sealed' : null;
      },
    } as unknown as KioskRepository;
    const box = { open: (sealed: string) => sealed } as unknown as SecretBox;
    return { looked, authenticator: new KioskAuthenticator(kiosks, box) };
  };
  const now = 1_800_000_000_000;

  it.each<[string, Record<string, string>, string]>([
    ['no kiosk id', { ...headersAt('K-KNOWN', now), [KIOSK_HEADERS.kioskId]: '' }, 'X-Kiosk-Id'],
    ['a timestamp out of the window', headersAt('K-KNOWN', now - 301_000), 'X-Timestamp'],
    [
      'a malformed signature',
      { ...headersAt('K-KNOWN', now), [KIOSK_HEADERS.signature]: 'zz' },
      'X-Signature',
    ],
  ])('refuses %s without looking any kiosk up', async (_name, headers, named) => {
    const { looked, authenticator } = screening();
    const screened = await authenticator.screen(headers, now);
    expect(screened.ok).toBe(false);
    expect(!screened.ok && screened.error).toContain(named);
    expect(looked).toEqual([]);
  });

  it('lets a known kiosk through and refuses an unknown one, looking each up once', async () => {
    const { looked, authenticator } = screening();
    expect((await authenticator.screen(headersAt('K-KNOWN', now), now)).ok).toBe(true);
    expect((await authenticator.screen(headersAt('K-KNOWN', now), now + 1)).ok).toBe(true);
    expect(await authenticator.screen(headersAt('K-NOBODY', now), now)).toEqual({
      ok: false,
      error: 'unknown kiosk or wrong signature',
    });
    expect((await authenticator.screen(headersAt('K-NOBODY', now), now + 1)).ok).toBe(false);
    expect(looked).toEqual(['K-KNOWN', 'K-NOBODY']);
  });

  it('remembers at most 10,000 kiosks, forgetting the oldest first', async () => {
    const { looked, authenticator } = screening();
    for (let i = 0; i <= 10_000; i += 1) await authenticator.screen(headersAt(`K-${i}`, now), now);
    await authenticator.screen(headersAt('K-10000', now), now);
    await authenticator.screen(headersAt('K-0', now), now);
    expect(looked.slice(10_001)).toEqual(['K-0']);
  });
});
