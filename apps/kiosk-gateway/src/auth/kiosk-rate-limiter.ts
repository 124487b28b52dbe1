interface Bucket {
  tokens: number;
  atMs: number;
}

/**
 * A token bucket per kiosk: `burst` requests at once, refilled at `perSecond`. Kept in memory, so
 * the limit holds per gateway instance; it protects the instance, while replay protection (which
 * must hold across instances) lives in PostgreSQL.
 */
export class KioskRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  /** 0 when the request may proceed (a token is taken); otherwise whole seconds to wait. */
  take(kioskId: string, nowMs: number): number {
    const bucket = this.buckets.get(kioskId) ?? { tokens: this.burst, atMs: nowMs };
    const tokens = Math.min(
      this.burst,
      bucket.tokens + (Math.max(0, nowMs - bucket.atMs) / 1000) * this.perSecond,
    );
    if (tokens >= 1) {
      this.buckets.set(kioskId, { tokens: tokens - 1, atMs: nowMs });
      return 0;
    }
    this.buckets.set(kioskId, { tokens, atMs: nowMs });
    return Math.max(1, Math.ceil((1 - tokens) / this.perSecond));
  }
}
