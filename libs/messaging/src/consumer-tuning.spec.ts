import { loadConfig } from '@gw/platform';
import {
  CONSUMER_DEFAULTS,
  ConsumerSetting,
  consumerTuningOf,
  FetchBytesSetting,
  retryDelayMs,
  WithConsumerTuning,
} from './consumer-tuning';

describe('retryDelayMs', () => {
  it.each([
    [1, 200],
    [2, 400],
    [3, 800],
    [7, 12800],
    [8, 25600],
    [9, 30000],
    [10, 30000],
    [1000, 30000],
  ])('waits, before retry %i, %i ms with the defaults', (attempt, delay) => {
    expect(retryDelayMs(attempt, CONSUMER_DEFAULTS)).toBe(delay);
  });

  it('starts at the floor and never passes the ceiling it is given', () => {
    const delays = [1, 2, 3, 4].map((n) => retryDelayMs(n, { retryMinMs: 50, retryMaxMs: 300 }));
    expect(delays).toEqual([50, 100, 200, 300]);
  });
});

class SessionEnv {
  @ConsumerSetting('sessionTimeoutMs')
  SESSION: number = CONSUMER_DEFAULTS.sessionTimeoutMs;
}

describe('ConsumerSetting', () => {
  it('refuses a session shorter than the broker allows, naming the variable', () => {
    expect(() => loadConfig(SessionEnv, { SESSION: '5000' })).toThrow(/SESSION/);
  });

  it('reads a valid value as a number', () => {
    expect(loadConfig(SessionEnv, { SESSION: '6000' }).SESSION).toBe(6000);
    expect(loadConfig(SessionEnv, {}).SESSION).toBe(10000);
  });
});

describe('consumerTuningOf', () => {
  it('reads every setting under the given prefix', () => {
    const env = {
      FEED_SESSION_TIMEOUT_MS: 7000,
      FEED_HEARTBEAT_INTERVAL_MS: 500,
      FEED_RETRY_MIN_MS: 100,
      FEED_RETRY_MAX_MS: 9000,
      FEED_STALL_SECONDS: 30,
      FEED_DRAIN_TIMEOUT_MS: 4000,
      OTHER_STALL_SECONDS: 99,
    };
    expect(consumerTuningOf(env, 'FEED')).toEqual({
      sessionTimeoutMs: 7000,
      heartbeatIntervalMs: 500,
      retryMinMs: 100,
      retryMaxMs: 9000,
      stallSeconds: 30,
      drainTimeoutMs: 4000,
    });
  });
});

class FeedEnv extends WithConsumerTuning(
  class {
    OWN = 'own';
  },
  'FEED',
) {}

describe('WithConsumerTuning', () => {
  it('declares every setting under the prefix, with the defaults, beside the base env', () => {
    const env = loadConfig(FeedEnv, {});
    expect(env.OWN).toBe('own');
    expect(consumerTuningOf(env, 'FEED')).toEqual(CONSUMER_DEFAULTS);
  });

  it('reads the settings as numbers', () => {
    expect(loadConfig(FeedEnv, { FEED_STALL_SECONDS: '30' }).FEED_STALL_SECONDS).toBe(30);
  });

  it('validates each setting, naming the variable', () => {
    expect(() => loadConfig(FeedEnv, { FEED_SESSION_TIMEOUT_MS: '5000' })).toThrow(
      'FEED_SESSION_TIMEOUT_MS: FEED_SESSION_TIMEOUT_MS must not be less than 6000',
    );
    expect(() => loadConfig(FeedEnv, { FEED_RETRY_MIN_MS: 'soon' })).toThrow(
      'FEED_RETRY_MIN_MS: FEED_RETRY_MIN_MS must be an integer number',
    );
  });
});

class FetchEnv {
  @FetchBytesSetting()
  FETCH_BYTES: number = 1024 * 1024;
}

describe('FetchBytesSetting', () => {
  it('takes 64 KiB to 64 MiB, and refuses a fetch Kafka could not take or would not need', () => {
    const bytes = (value: string) => loadConfig(FetchEnv, { FETCH_BYTES: value }).FETCH_BYTES;
    expect(bytes('65536')).toBe(65536);
    expect(bytes('67108864')).toBe(67108864);
    expect(() => bytes('65535')).toThrow('FETCH_BYTES must not be less than 65536');
    expect(() => bytes('67108865')).toThrow('FETCH_BYTES must not be greater than 67108864');
    expect(() => bytes('600000000')).toThrow('FETCH_BYTES must not be greater than 67108864');
  });
});
