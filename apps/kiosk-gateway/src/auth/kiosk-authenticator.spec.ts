import { KIOSK_HEADERS, KIOSK_PATHS, signKioskRequest } from '@gw/contracts';
import type { SecretBox } from '@gw/platform';
import type { KioskRepository, NonceToClaim } from '../persistence/kiosk.repository';
import { KIOSK_SECRET_CACHE_MS, KioskAuthenticator } from './kiosk-authenticator';

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
  /** A request signed with the kiosk's secret at `nowMs`. */
  const signed = (nowMs: number) => {
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
        [KIOSK_HEADERS.signature]: signKioskRequest(SECRET, parts),
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
    // A refusal is not remembered: the next request looks the kiosk up again.
    expect(await verify(start + KIOSK_SECRET_CACHE_MS + 1)).toBe(true);
    expect(lookups).toBe(3);
  });
});
