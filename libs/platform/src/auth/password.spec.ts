import { metricsRegistry } from '../metrics/metrics';
import {
  configurePasswordChecks,
  configurePasswordHashing,
  hashPassword,
  needsRehash,
  OWASP_SCRYPT,
  PasswordChecksBusyError,
  verifyPassword,
} from './password';

/** N=2^10: these tests are about the bookkeeping, not the cost. */
const QUICK = { N: 1024, r: 8, p: 1 };
const paramsOf = (stored: string) => stored.split('$').slice(1, 4).map(Number);

const derivations = async () =>
  (await metricsRegistry.getSingleMetric('password_hash_checks_total')!.get()).values[0].value;

describe('password hashes by default', () => {
  it("are made with OWASP's scrypt parameters, N=2^17, r=8, p=1", async () => {
    const stored = await hashPassword('owasp');
    expect(paramsOf(stored)).toEqual([131072, 8, 1]);
    expect(OWASP_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(needsRehash(stored)).toBe(false);
  });
});

describe('password hashes made with other parameters', () => {
  afterAll(() => configurePasswordHashing(QUICK));

  it('still verify after the parameters are raised, and then need a rehash', async () => {
    configurePasswordHashing({ N: 2 ** 14, r: 8, p: 1 });
    const old = await hashPassword('kept-secret');
    expect(paramsOf(old)).toEqual([16384, 8, 1]);
    configurePasswordHashing({ N: 2 ** 15, r: 8, p: 1 });
    expect(await verifyPassword('kept-secret', old)).toBe(true);
    expect(await verifyPassword('other-secret', old)).toBe(false);
    expect(needsRehash(old)).toBe(true);
    const upgraded = await hashPassword('kept-secret');
    expect(paramsOf(upgraded)).toEqual([32768, 8, 1]);
    expect(needsRehash(upgraded)).toBe(false);
  });

  it.each([
    ['weaker N', 'scrypt$16384$8$1$c2FsdA$aGFzaA', true],
    ['weaker r', 'scrypt$32768$4$1$c2FsdA$aGFzaA', true],
    ['the same parameters', `scrypt$32768$8$1$c2FsdA$${'a'.repeat(43)}`, false],
    ['stronger N', `scrypt$65536$8$1$c2FsdA$${'a'.repeat(43)}`, false],
    ['a short key', 'scrypt$32768$8$1$c2FsdA$aGFzaA', true],
    ['another scheme', '$2b$12$abcdefghijklmnopqrstuv', true],
    ['no parameters', 'scrypt$$$$c2FsdA$aGFzaA', true],
    ['more than 1 GiB', `scrypt$1073741824$8$1$c2FsdA$${'a'.repeat(43)}`, true],
  ])('needsRehash: %s', (_name, stored, expected) => {
    configurePasswordHashing({ N: 2 ** 15, r: 8, p: 1 });
    expect(needsRehash(stored)).toBe(expected);
  });

  it('refuses a stored hash that asks for absurd memory without deriving anything', async () => {
    const before = await derivations();
    expect(await verifyPassword('x', `scrypt$1073741824$8$1$c2FsdA$${'a'.repeat(43)}`)).toBe(false);
    expect(await derivations()).toBe(before);
  });
});

describe('password checks', () => {
  let stored: string;
  beforeAll(async () => {
    configurePasswordHashing(QUICK);
    stored = await hashPassword('right-secret');
  });
  afterEach(() => configurePasswordChecks({ concurrency: 2, maxWaiting: 32 }));

  it('matches the right secret and not a wrong one', async () => {
    expect(await verifyPassword('right-secret', stored)).toBe(true);
    expect(await verifyPassword('wrong-secret', stored)).toBe(false);
  });

  it('answers a repeated pair from memory, without another scrypt', async () => {
    await verifyPassword('repeated-wrong', stored);
    const before = await derivations();
    expect(await verifyPassword('repeated-wrong', stored)).toBe(false);
    expect(await verifyPassword('right-secret', stored)).toBe(true);
    expect(await derivations()).toBe(before);
  });

  it('runs one scrypt for concurrent checks of one pair, and answers each of them', async () => {
    const fresh = await hashPassword('fresh-secret');
    const before = await derivations();
    const wrong = await Promise.all(
      Array.from({ length: 20 }, () => verifyPassword('concurrent-wrong', fresh)),
    );
    const right = await Promise.all(
      Array.from({ length: 20 }, () => verifyPassword('fresh-secret', fresh)),
    );
    expect(wrong).toEqual(Array(20).fill(false));
    expect(right).toEqual(Array(20).fill(true));
    expect(await derivations()).toBe(before + 2);
  });

  it('refuses checks beyond the running and waiting bounds, and runs the others', async () => {
    configurePasswordChecks({ concurrency: 1, maxWaiting: 2 });
    const before = await derivations();
    const results = await Promise.allSettled(
      ['a', 'b', 'c', 'd', 'e'].map((s) => verifyPassword(`bounded-${s}`, stored)),
    );
    const refused = results.filter(
      (r) => r.status === 'rejected' && r.reason instanceof PasswordChecksBusyError,
    );
    expect(refused).toHaveLength(2);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(await derivations()).toBe(before + 3);
    // The slots are all free again.
    expect(await verifyPassword('bounded-after', stored)).toBe(false);
  });
});
