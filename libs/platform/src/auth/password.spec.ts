import { metricsRegistry } from '../metrics/metrics';
import {
  configurePasswordChecks,
  hashPassword,
  PasswordChecksBusyError,
  verifyPassword,
} from './password';

const derivations = async () =>
  (await metricsRegistry.getSingleMetric('password_hash_checks_total')!.get()).values[0].value;

describe('password checks', () => {
  let stored: string;
  beforeAll(async () => {
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
