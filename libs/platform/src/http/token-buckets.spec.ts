import { TokenBuckets } from './token-buckets';

/** Each step: a request of `kiosk` at `atMs`, and the expected wait (0 = allowed). */
type Step = [kiosk: string, atMs: number, wait: number];

describe('TokenBuckets', () => {
  it.each<[string, number, number, Step[]]>([
    [
      'allows a burst, then refuses until a token refills',
      1,
      3,
      [
        ['K', 0, 0],
        ['K', 0, 0],
        ['K', 0, 0],
        ['K', 0, 1],
        ['K', 999, 1],
        ['K', 1000, 0],
        ['K', 1000, 1],
      ],
    ],
    [
      'keeps kiosks apart',
      1,
      1,
      [
        ['A', 0, 0],
        ['A', 0, 1],
        ['B', 0, 0],
        ['B', 10, 1],
      ],
    ],
    [
      'never holds more than the burst after a long idle time',
      10,
      2,
      [
        ['K', 0, 0],
        ['K', 60_000, 0],
        ['K', 60_000, 0],
        ['K', 60_000, 1],
      ],
    ],
    [
      'rounds the wait up to whole seconds for slow rates',
      0.2,
      1,
      [
        ['K', 0, 0],
        ['K', 0, 5],
        ['K', 2500, 3],
        ['K', 5000, 0],
      ],
    ],
    [
      'sustains the configured rate',
      5,
      1,
      [
        ['K', 0, 0],
        ['K', 200, 0],
        ['K', 400, 0],
        ['K', 500, 1],
        ['K', 600, 0],
      ],
    ],
    [
      'ignores a clock that steps backwards',
      1,
      1,
      [
        ['K', 5000, 0],
        ['K', 4000, 1],
        ['K', 6000, 0],
      ],
    ],
  ])('%s', (_name, perSecond, burst, steps) => {
    const limiter = new TokenBuckets(perSecond, burst);
    expect(steps.map(([kiosk, at]) => limiter.take(kiosk, at))).toEqual(
      steps.map(([, , wait]) => wait),
    );
  });
});

it('forgets the least recently seen key beyond maxTracked', () => {
  const limiter = new TokenBuckets(1, 1, 2);
  expect(limiter.take('a', 0)).toBe(0);
  expect(limiter.take('b', 0)).toBe(0);
  expect(limiter.take('a', 0)).toBe(1);
  expect(limiter.take('c', 0)).toBe(0);
  // 'b' was dropped, so it starts with a full bucket again; 'a' is still limited.
  expect(limiter.take('b', 0)).toBe(0);
  expect(limiter.take('c', 0)).toBe(1);
});
