import type { Backoff } from '@gw/domain';
import { RateLimiter } from '@gw/persistence';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { testDatabase } from '../support/infra';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const SCOPE = 'limiter_test';

/** Only `Date` is faked: the driver's timers and I/O run as usual. */
const realTimers = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('persistence: rate limits on one clock for every replica', () => {
  // Two replicas: each its own pool, and a system clock of its own seconds off the other's.
  let first: DataSource;
  let second: DataSource;
  let one: RateLimiter;
  let other: RateLimiter;

  /** Runs `attempt` as on a machine whose system clock (`Date`, `Date.now`) reads `skewMs` off. */
  async function skewed<T>(skewMs: number, attempt: () => Promise<T>): Promise<T> {
    jest.useFakeTimers({ doNotFake: [...realTimers], now: Date.now() + skewMs });
    try {
      return await attempt();
    } finally {
      jest.useRealTimers();
    }
  }

  beforeAll(async () => {
    first = await testDatabase();
    second = await testDatabase();
    one = new RateLimiter(first);
    other = new RateLimiter(second);
  });

  afterAll(async () => {
    await first?.destroy();
    await second?.destroy();
  });

  it('makes the next failure on another replica wait its full delay, whatever the clock of the one before', async () => {
    const rule: Backoff = {
      freeAttempts: 1,
      baseDelayMs: 4 * SECOND,
      maxDelayMs: HOUR,
      windowMs: HOUR,
    };
    const key = randomUUID();
    // The free attempt, counted by a replica whose clock is 5 s behind …
    expect(await skewed(-5 * SECOND, () => one.takeWithBackoff(SCOPE, key, rule))).toBe(0);
    // … leaves the next one, right after on a replica on time, the 4 s wait it would have on one.
    const wait = await skewed(0, () => other.takeWithBackoff(SCOPE, key, rule));
    expect(wait).toBeGreaterThan(3 * SECOND);
    expect(wait).toBeLessThanOrEqual(4 * SECOND);
  });

  it('counts attempts made together in one window, whichever side of its end the replicas’ clocks read', async () => {
    // Not within a second of the end of an hour by the true time, so both land in one window.
    if (HOUR - (Date.now() % HOUR) < SECOND) await sleep(2 * SECOND);
    const end = Math.ceil(Date.now() / HOUR) * HOUR;
    const limits = [{ scope: SCOPE, key: randomUUID(), rule: { limit: 1, windowMs: HOUR } }];
    // One replica's clock reads 2 s before the end of an hour, the other's 2 s after.
    expect(await skewed(end - 2 * SECOND - Date.now(), () => one.take(limits))).toBe(0);
    const wait = await skewed(end + 2 * SECOND - Date.now(), () => other.take(limits));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(HOUR);
  });

  it('keeps a window’s count when a replica whose clock is ahead sweeps', async () => {
    const limits = [{ scope: SCOPE, key: randomUUID(), rule: { limit: 1, windowMs: HOUR } }];
    expect(await one.take(limits)).toBe(0);
    await skewed(2 * HOUR, () => other.purgeExpired());
    expect(await one.take(limits)).toBeGreaterThan(0);
  });

  it('moves with a clock a caller passes, as the tests’ clocks do', async () => {
    // Two hours on, by a clock passed in: a window of its own, ending when that clock says.
    const now = new Date(Math.ceil(Date.now() / HOUR) * HOUR + HOUR + 30 * SECOND);
    const limits = [{ scope: SCOPE, key: randomUUID(), rule: { limit: 1, windowMs: HOUR } }];
    expect(await one.take(limits, now)).toBe(0);
    const wait = await other.take(limits, now);
    expect(wait).toBeGreaterThan(HOUR - 31 * SECOND);
    expect(wait).toBeLessThanOrEqual(HOUR - 30 * SECOND);
    expect(await one.take(limits)).toBe(0);
  });
});
