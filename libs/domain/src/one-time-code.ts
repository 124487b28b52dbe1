/** One-time codes sent by e-mail (contract 7.3): 6 digits, valid 10 minutes, 5 attempts. */
export const ONE_TIME_CODE = { digits: 6, ttlMs: 10 * 60 * 1000, maxAttempts: 5 } as const;

export interface IssuedCode {
  expiresAt: Date;
  attempts: number;
  usedAt: Date | null;
}

export type CodeStanding = 'usable' | 'used' | 'exhausted' | 'expired';

/**
 * Whether a code can still be tried. A used code never works again; a code whose attempts are
 * spent stays spent even before it expires; a code is usable strictly before its expiry instant.
 */
export function codeStanding(
  code: IssuedCode,
  now: Date,
  maxAttempts: number = ONE_TIME_CODE.maxAttempts,
): CodeStanding {
  if (code.usedAt !== null) return 'used';
  if (code.attempts >= maxAttempts) return 'exhausted';
  if (now.getTime() >= code.expiresAt.getTime()) return 'expired';
  return 'usable';
}
