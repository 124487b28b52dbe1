import { retryAfterMs } from './rate-limit';

const NOW = new Date('2026-11-20T07:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
const HOUR = 3600 * 1000;

describe('retryAfterMs', () => {
  it.each<[string, Date[], number]>([
    ['no events', [], 0],
    ['under the limit', [ago(10), ago(20)], 0],
    ['at the limit: wait for the oldest to leave', [ago(600), ago(1200), ago(3000)], 600 * 1000],
    [
      'over the limit: the newest of the excess decides',
      [ago(100), ago(200), ago(300), ago(400)],
      (3600 - 300) * 1000,
    ],
    ['events older than the window do not count', [ago(3600), ago(4000), ago(10)], 0],
    ['an event exactly one window ago has left', [ago(3600), ago(1), ago(2)], 0],
    ['events in any order', [ago(3000), ago(600), ago(1200)], 600 * 1000],
    ['events in the future are ignored', [new Date(NOW.getTime() + 1000), ago(10), ago(20)], 0],
  ])('%s', (_name, events, wait) => {
    expect(retryAfterMs(events, NOW, { limit: 3, windowMs: HOUR })).toBe(wait);
  });

  it.each<[string, Date[], number]>([
    ['no events', [], 0],
    ['the last one just now', [ago(0)], 60 * 1000],
    ['the last one 20 s ago', [ago(20), ago(1000)], 40 * 1000],
    ['the last one a minute ago', [ago(60)], 0],
  ])('minimum interval: %s', (_name, events, wait) => {
    expect(retryAfterMs(events, NOW, { limit: 5, windowMs: HOUR, minIntervalMs: 60 * 1000 })).toBe(
      wait,
    );
  });

  it('the longer of the two waits applies', () => {
    const events = [ago(5), ago(100), ago(200)];
    expect(retryAfterMs(events, NOW, { limit: 3, windowMs: HOUR, minIntervalMs: 60000 })).toBe(
      (3600 - 200) * 1000,
    );
  });
});
