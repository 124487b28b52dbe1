import { ConfigError, loadConfig } from '@gw/platform';
import { BackofficeEnv } from './backoffice.env';

describe('BACKOFFICE_COOKIE_SECURE', () => {
  it.each([
    [undefined, true],
    ['true', true],
    ['false', false],
  ])('%p gives %p', (value, secure) => {
    expect(
      loadConfig(BackofficeEnv, { BACKOFFICE_COOKIE_SECURE: value }).BACKOFFICE_COOKIE_SECURE,
    ).toBe(secure);
  });

  it.each(['', 'yes', '0', 'FALSE'])('refuses %p rather than turning Secure off', (value) => {
    expect(() => loadConfig(BackofficeEnv, { BACKOFFICE_COOKIE_SECURE: value })).toThrow(
      ConfigError,
    );
  });
});
