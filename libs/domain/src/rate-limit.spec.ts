import {
  type Backoff,
  backoffDelayMs,
  backoffRetryAfterMs,
  windowRetryAfterMs,
} from './rate-limit';

const HOUR = 3600 * 1000;
const at = (iso: string) => new Date(iso);

describe('windowRetryAfterMs', () => {
  const end = at('2026-11-20T08:00:00Z');
  it.each<[string, number, number, string, number]>([
    ['first attempt', 1, 5, '2026-11-20T07:10:00Z', 0],
    ['the limit-th attempt still passes', 5, 5, '2026-11-20T07:10:00Z', 0],
    ['one over waits for the window end', 6, 5, '2026-11-20T07:10:00Z', 50 * 60000],
    ['far over waits the same', 50, 5, '2026-11-20T07:59:00Z', 60000],
    ['never less than 1 ms', 6, 5, '2026-11-20T08:00:00Z', 1],
    ['a limit of 0 refuses all', 1, 0, '2026-11-20T07:00:00Z', HOUR],
  ])('%s', (_, count, limit, now, wait) => {
    expect(windowRetryAfterMs(count, limit, end, at(now))).toBe(wait);
  });
});

describe('backoff', () => {
  const rule: Backoff = { freeAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60000, windowMs: HOUR };

  it.each<[number, number]>([
    [0, 0],
    [2, 0],
    [3, 1000],
    [4, 2000],
    [5, 4000],
    [8, 32000],
    [9, 60000],
    [1000, 60000],
  ])('after %i attempts the next waits %i ms', (attempts, delay) => {
    expect(backoffDelayMs(attempts, rule)).toBe(delay);
  });

  const now = at('2026-11-20T07:00:10Z');
  it.each<[string, number, Date | null, number]>([
    ['first of a run', 1, null, 0],
    ['free attempts go at once', 3, at('2026-11-20T07:00:10Z'), 0],
    // Concurrent attempts take their clock before the row lock orders them: the one counted first
    // may carry a later time than the attempt counted after it.
    ['a free attempt after one with a later clock', 2, at('2026-11-20T07:00:10.040Z'), 0],
    ['the 4th waits 1 s after the 3rd', 4, at('2026-11-20T07:00:09.500Z'), 500],
    ['the 4th after 1 s passes', 4, at('2026-11-20T07:00:09Z'), 0],
    ['the 6th waits 4 s', 6, at('2026-11-20T07:00:10Z'), 4000],
    ['concurrent attempts all wait', 20, at('2026-11-20T07:00:10Z'), 60000],
  ])('%s', (_, count, previousAt, wait) => {
    expect(backoffRetryAfterMs(count, previousAt, now, rule)).toBe(wait);
  });
});
