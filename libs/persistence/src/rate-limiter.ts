import { type Backoff, backoffRetryAfterMs, type RateLimit, windowRetryAfterMs } from '@gw/domain';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RateLimitRepository } from './repositories/rate-limit.repository';

/** One limit to count an attempt against: `key` is what is limited (an account, an IP, …). */
export interface LimitedKey {
  scope: string;
  key: string;
  rule: RateLimit;
}

/**
 * Rate limits shared by every replica through PostgreSQL. An attempt is counted first and judged
 * after, so concurrent attempts cannot all pass a check made before any of them was recorded.
 * Keys are stored as SHA-256 digests; callers hash personal data with their own key first.
 *
 * Every instant is the database's, so replicas whose clocks differ share one clock: none can split
 * a window or shorten a delay. A caller's `now` moves that clock by how far `now` is from this
 * process's system clock: ~0 in production, where callers pass the system time; a test's clock
 * moves the limits with it.
 */
export class RateLimiter {
  private readonly counters: RateLimitRepository;

  constructor(db: DataSource) {
    this.counters = new RateLimitRepository(db);
  }

  /** Counts one attempt against every limit; the longest wait among those exceeded, 0 to go on. */
  async take(limits: LimitedKey[], now = new Date()): Promise<number> {
    const waits = await Promise.all(
      limits.map(async ({ scope, key, rule }) => {
        const { count, windowEnd, at } = await this.count(scope, key, rule.windowMs, now);
        return windowRetryAfterMs(count, rule.limit, windowEnd, at);
      }),
    );
    return Math.max(0, ...waits);
  }

  /** Counts one attempt of a run of `key`; the wait its growing delay asks for, 0 to go on. */
  async takeWithBackoff(
    scope: string,
    key: string,
    rule: Backoff,
    now = new Date(),
  ): Promise<number> {
    const { count, previousAt, at } = await this.count(scope, key, rule.windowMs, now);
    return backoffRetryAfterMs(count, previousAt, at, rule);
  }

  /** Ends the run of `key`, e.g. after a successful login. */
  reset(scope: string, key: string): Promise<void> {
    return this.counters.reset(scope, digest(key));
  }

  /** Deletes the counters whose window has passed. */
  purgeExpired(now = new Date()): Promise<number> {
    return this.counters.purge(offsetMs(now));
  }

  /** Counts one attempt of `key` in the fixed window of `windowMs` that its instant falls in. */
  private count(scope: string, key: string, windowMs: number, now: Date) {
    return this.counters.count(scope, digest(key), windowMs, offsetMs(now));
  }
}

/** How far `now` is from this process's system clock: what moves the database's clock. */
const offsetMs = (now: Date) => now.getTime() - Date.now();

const digest = (key: string) => createHash('sha256').update(key).digest('hex');
