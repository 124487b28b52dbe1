interface Failures {
  count: number;
  since: number;
  lockedUntil: number;
}

/**
 * Counts failed logins per login name in this process's memory: after `maxFailures` failures within
 * `lockoutMs` of the first one, the login is refused for `lockoutMs` without checking the password.
 * Unknown logins are counted like known ones, so throttling reveals nothing. Per process on
 * purpose: a restart forgets, and with several replicas each keeps its own count. At most
 * `maxTracked` logins are remembered; the oldest are dropped first, so a flood of made-up names
 * cannot exhaust memory.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly maxFailures: number,
    private readonly lockoutMs: number,
    private readonly maxTracked = 10000,
  ) {}

  /** Milliseconds until `login` may try again; 0 when it may try now. */
  retryAfterMs(login: string, now: number): number {
    const entry = this.failures.get(key(login));
    return entry && entry.lockedUntil > now ? entry.lockedUntil - now : 0;
  }

  recordFailure(login: string, now: number): void {
    const k = key(login);
    const previous = this.failures.get(k);
    const entry =
      previous && now - previous.since < this.lockoutMs
        ? previous
        : { count: 0, since: now, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= this.maxFailures) entry.lockedUntil = now + this.lockoutMs;
    // Re-inserting keeps the map in order of last failure, so the oldest entry is the first one.
    this.failures.delete(k);
    this.failures.set(k, entry);
    if (this.failures.size > this.maxTracked)
      this.failures.delete(this.failures.keys().next().value as string);
  }

  recordSuccess(login: string): void {
    this.failures.delete(key(login));
  }
}

/** Logins differing only in case count together, so case tricks do not multiply the attempts. */
const key = (login: string) => login.toLowerCase();
