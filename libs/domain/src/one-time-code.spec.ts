import { codeStanding, type CodeStanding, ONE_TIME_CODE } from './one-time-code';

describe('ONE_TIME_CODE follows contract 7.3', () => {
  it('6 digits, 10 minutes, 5 attempts', () => {
    expect(ONE_TIME_CODE).toEqual({ digits: 6, ttlMs: 600000, maxAttempts: 5 });
  });
});

describe('codeStanding', () => {
  const expiresAt = new Date('2026-11-20T07:10:00Z');
  const code = (attempts = 0, usedAt: Date | null = null) => ({ expiresAt, attempts, usedAt });

  it.each<[string, ReturnType<typeof code>, string, CodeStanding]>([
    ['fresh', code(), '2026-11-20T07:00:00Z', 'usable'],
    ['one millisecond before expiry', code(), '2026-11-20T07:09:59.999Z', 'usable'],
    ['at the expiry instant', code(), '2026-11-20T07:10:00Z', 'expired'],
    ['after expiry', code(), '2026-11-20T08:00:00Z', 'expired'],
    ['four attempts made', code(4), '2026-11-20T07:00:00Z', 'usable'],
    ['five attempts made', code(5), '2026-11-20T07:00:00Z', 'exhausted'],
    ['attempts spent and expired', code(5), '2026-11-20T08:00:00Z', 'exhausted'],
    ['used', code(1, new Date('2026-11-20T07:01:00Z')), '2026-11-20T07:02:00Z', 'used'],
    ['used and expired', code(1, new Date('2026-11-20T07:01:00Z')), '2026-11-20T09:00:00Z', 'used'],
  ])('%s -> %s', (_name, issued, now, standing) => {
    expect(codeStanding(issued, new Date(now))).toBe(standing);
  });

  it('takes another attempt limit', () => {
    expect(codeStanding(code(2), new Date('2026-11-20T07:00:00Z'), 2)).toBe('exhausted');
  });
});
