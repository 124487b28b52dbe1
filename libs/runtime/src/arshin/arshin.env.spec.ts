import { loadConfig } from '@gw/platform';
import { ArshinEnv, arshinSettings } from './arshin.env';

const DEVELOPMENT = { GATEWAY_MODE: 'development' };

describe('ArshinEnv', () => {
  it('defaults to the public interface at the polite pace of contract section 8', () => {
    expect(arshinSettings(loadConfig(ArshinEnv, DEVELOPMENT))).toEqual({
      url: 'https://fgis.gost.ru/fundmetrology/eapi',
      minIntervalMs: 1500,
      timeoutMs: 20000,
      maxAttempts: 3,
      backoffMs: 5000,
      circuitFailures: 3,
      circuitOpenMs: 300000,
    });
    expect(loadConfig(ArshinEnv, DEVELOPMENT).ARSHIN_RECHECK_DAYS).toBe(7);
  });

  it.each<[string, string, string]>([
    ['ARSHIN_URL', 'fgis.gost.ru', 'ARSHIN_URL must be an http(s) URL'],
    ['ARSHIN_URL', 'ftp://fgis.gost.ru', 'ARSHIN_URL must be an http(s) URL'],
    [
      'ARSHIN_URL',
      'http://proxy:S3cret@10.0.0.5:3128/eapi',
      'ARSHIN_URL must be an http(s) URL, without a user or password in it',
    ],
    ['ARSHIN_MIN_INTERVAL_MS', '500', 'ARSHIN_MIN_INTERVAL_MS must not be less than 1000'],
    ['ARSHIN_MIN_INTERVAL_MS', 'fast', 'ARSHIN_MIN_INTERVAL_MS must be an integer number'],
    ['ARSHIN_TIMEOUT_MS', '0', 'ARSHIN_TIMEOUT_MS must not be less than 1000'],
    ['ARSHIN_MAX_ATTEMPTS', '11', 'ARSHIN_MAX_ATTEMPTS must not be greater than 10'],
    ['ARSHIN_CIRCUIT_FAILURES', '0', 'ARSHIN_CIRCUIT_FAILURES must not be less than 1'],
    ['ARSHIN_RECHECK_DAYS', '-1', 'ARSHIN_RECHECK_DAYS must not be less than 0'],
    ['ARSHIN_RECHECK_DAYS', '366', 'ARSHIN_RECHECK_DAYS must not be greater than 365'],
  ])('refuses %s=%p at boot', (name, value, message) => {
    expect(() => loadConfig(ArshinEnv, { ...DEVELOPMENT, [name]: value })).toThrow(message);
  });

  it('takes a local stand-in by address', () => {
    const env = loadConfig(ArshinEnv, {
      ...DEVELOPMENT,
      ARSHIN_URL: 'http://127.0.0.1:8080/eapi',
      ARSHIN_MIN_INTERVAL_MS: '2000',
    });
    expect(arshinSettings(env)).toMatchObject({
      url: 'http://127.0.0.1:8080/eapi',
      minIntervalMs: 2000,
    });
  });
});
