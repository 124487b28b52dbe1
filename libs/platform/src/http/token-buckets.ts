interface Bucket {
  tokens: number;
  atMs: number;
}

/**
 * A token bucket per key (a kiosk, a client IP): `burst` requests at once, refilled at `perSecond`.
 * Kept in memory, so the limit holds per instance: it protects the instance, while limits that
 * must hold across instances live in PostgreSQL. At most `maxTracked` keys are remembered, the
 * least recently seen dropped first, so a flood of addresses cannot exhaust memory.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly maxTracked = 100000,
  ) {}

  /** 0 when the request may proceed (a token is taken); otherwise whole seconds to wait. */
  take(key: string, nowMs: number): number {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, atMs: nowMs };
    const tokens = Math.min(
      this.burst,
      bucket.tokens + (Math.max(0, nowMs - bucket.atMs) / 1000) * this.perSecond,
    );
    const allowed = tokens >= 1;
    // Re-inserting keeps the map in order of last use, so the first key is the stalest.
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, atMs: nowMs });
    if (this.buckets.size > this.maxTracked)
      this.buckets.delete(this.buckets.keys().next().value as string);
    return allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.perSecond));
  }
}
