/** At most `limit` events in any `windowMs`, and optionally at least `minIntervalMs` between two. */
export interface RateLimit {
  limit: number;
  windowMs: number;
  minIntervalMs?: number;
}

/**
 * Milliseconds until one more event is allowed, given the times of earlier ones (any order, older
 * ones ignored); 0 when it is allowed now. A sliding window, so a burst cannot straddle a boundary.
 */
export function retryAfterMs(events: Date[], now: Date, rule: RateLimit): number {
  const at = now.getTime();
  const recent = events
    .map((e) => e.getTime())
    .filter((t) => t > at - rule.windowMs && t <= at)
    .sort((a, b) => a - b);
  let wait = 0;
  if (recent.length >= rule.limit) {
    // The oldest event that must leave the window before the count drops below the limit.
    const blocking = recent[recent.length - rule.limit];
    wait = blocking + rule.windowMs - at;
  }
  if (rule.minIntervalMs !== undefined && recent.length > 0) {
    wait = Math.max(wait, recent[recent.length - 1] + rule.minIntervalMs - at);
  }
  return Math.max(0, wait);
}
