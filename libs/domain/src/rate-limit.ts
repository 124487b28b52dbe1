/** At most `limit` attempts per fixed window of `windowMs`. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** Free attempts, then a wait that doubles with every further one, up to `maxDelayMs`. */
export interface Backoff {
  freeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a run of failures is remembered. */
  windowMs: number;
}

/**
 * Milliseconds to wait when `count` (this attempt included, counted before any check) is over the
 * limit of the window ending at `windowEnd`; 0 when the attempt may go on.
 */
export function windowRetryAfterMs(
  count: number,
  limit: number,
  windowEnd: Date,
  now: Date,
): number {
  return count > limit ? Math.max(1, windowEnd.getTime() - now.getTime()) : 0;
}

/** How long the attempt after `attempts` earlier ones in a run must wait after the previous one. */
export function backoffDelayMs(attempts: number, rule: Backoff): number {
  const over = attempts - rule.freeAttempts;
  if (over < 0) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(over, 30));
}

/**
 * Milliseconds to wait for the `count`-th attempt of a run (counted before any check), whose
 * previous attempt was at `previousAt`; 0 when it may go on.
 */
export function backoffRetryAfterMs(
  count: number,
  previousAt: Date | null,
  now: Date,
  rule: Backoff,
): number {
  const delay = backoffDelayMs(count - 1, rule);
  // A free attempt goes at once even when the attempt counted before it carries a later clock.
  if (!previousAt || delay === 0) return 0;
  return Math.max(0, previousAt.getTime() + delay - now.getTime());
}
