import { loadConfig } from '@gw/platform';
import { BackofficeEnv } from './backoffice.env';

/** Everything else the app needs, so each case stands or falls by the cookie setting alone. */
const DEVELOPMENT = { GATEWAY_MODE: 'development' };

describe('BACKOFFICE_COOKIE_SECURE', () => {
  it.each([
    [undefined, true],
    ['true', true],
    ['false', false],
  ])('%p gives %p', (value, secure) => {
    expect(
      loadConfig(BackofficeEnv, { ...DEVELOPMENT, BACKOFFICE_COOKIE_SECURE: value })
        .BACKOFFICE_COOKIE_SECURE,
    ).toBe(secure);
  });

  it.each(['', 'yes', '0', 'FALSE'])('refuses %p rather than turning Secure off', (value) => {
    expect(() =>
      loadConfig(BackofficeEnv, { ...DEVELOPMENT, BACKOFFICE_COOKIE_SECURE: value }),
    ).toThrow('BACKOFFICE_COOKIE_SECURE must be true or false');
  });
});

describe('BACKOFFICE_LOGIN_BASE_DELAY_SECONDS', () => {
  it('may equal the longest wait', () => {
    const env = loadConfig(BackofficeEnv, {
      ...DEVELOPMENT,
      BACKOFFICE_LOGIN_BASE_DELAY_SECONDS: '60',
      BACKOFFICE_LOGIN_MAX_DELAY_SECONDS: '60',
    });
    expect(env.BACKOFFICE_LOGIN_BASE_DELAY_SECONDS).toBe(60);
  });

  it('refuses a first wait longer than the longest, which the cap would silently shorten', () => {
    expect(() =>
      loadConfig(BackofficeEnv, {
        ...DEVELOPMENT,
        BACKOFFICE_LOGIN_BASE_DELAY_SECONDS: '600',
        BACKOFFICE_LOGIN_MAX_DELAY_SECONDS: '60',
      }),
    ).toThrow(
      'BACKOFFICE_LOGIN_BASE_DELAY_SECONDS must not exceed BACKOFFICE_LOGIN_MAX_DELAY_SECONDS',
    );
  });
});
