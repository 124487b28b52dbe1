import { LoginThrottle } from './login-throttle';

const MINUTE = 60000;

describe('LoginThrottle', () => {
  const fail = (throttle: LoginThrottle, login: string, times: number, at: number) => {
    for (let i = 0; i < times; i += 1) throttle.recordFailure(login, at);
  };

  it('lets a login try until the limit, then locks it for the lockout period', () => {
    const throttle = new LoginThrottle(3, 15 * MINUTE);
    fail(throttle, 'anna', 2, 0);
    expect(throttle.retryAfterMs('anna', 1000)).toBe(0);
    throttle.recordFailure('anna', 1000);
    expect(throttle.retryAfterMs('anna', 1000)).toBe(15 * MINUTE);
    expect(throttle.retryAfterMs('anna', 1000 + 15 * MINUTE - 1)).toBe(1);
    expect(throttle.retryAfterMs('anna', 1000 + 15 * MINUTE)).toBe(0);
  });

  it('starts counting afresh once the lockout period since the first failure has passed', () => {
    const throttle = new LoginThrottle(3, 15 * MINUTE);
    fail(throttle, 'anna', 2, 0);
    throttle.recordFailure('anna', 15 * MINUTE);
    expect(throttle.retryAfterMs('anna', 15 * MINUTE)).toBe(0);
    throttle.recordFailure('anna', 16 * MINUTE);
    expect(throttle.retryAfterMs('anna', 16 * MINUTE)).toBe(0);
    throttle.recordFailure('anna', 17 * MINUTE);
    expect(throttle.retryAfterMs('anna', 17 * MINUTE)).toBe(15 * MINUTE);
  });

  it('forgets the failures of a login that succeeds', () => {
    const throttle = new LoginThrottle(3, 15 * MINUTE);
    fail(throttle, 'anna', 2, 0);
    throttle.recordSuccess('anna');
    fail(throttle, 'anna', 2, 0);
    expect(throttle.retryAfterMs('anna', 0)).toBe(0);
  });

  it('counts logins that differ only in case together and keeps other logins apart', () => {
    const throttle = new LoginThrottle(2, MINUTE);
    throttle.recordFailure('Anna', 0);
    throttle.recordFailure('ANNA', 0);
    expect(throttle.retryAfterMs('anna', 0)).toBe(MINUTE);
    expect(throttle.retryAfterMs('boris', 0)).toBe(0);
  });

  it('remembers at most maxTracked logins, dropping the one that failed longest ago', () => {
    const throttle = new LoginThrottle(1, MINUTE, 2);
    throttle.recordFailure('a', 0);
    throttle.recordFailure('b', 1);
    throttle.recordFailure('a', 2);
    throttle.recordFailure('c', 3);
    expect(throttle.retryAfterMs('b', 3)).toBe(0);
    expect(throttle.retryAfterMs('a', 3)).toBeGreaterThan(0);
    expect(throttle.retryAfterMs('c', 3)).toBeGreaterThan(0);
  });
});
