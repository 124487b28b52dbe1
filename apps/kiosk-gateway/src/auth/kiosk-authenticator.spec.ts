import type { KioskRepository, NonceToClaim } from '@gw/persistence';
import type { SecretBox } from '@gw/platform';
import { KioskAuthenticator } from './kiosk-authenticator';

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
