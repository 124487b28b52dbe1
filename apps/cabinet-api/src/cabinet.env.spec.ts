import { ConfigError, loadConfig } from '@gw/platform';
import { CabinetEnv } from './cabinet.env';

describe('CABINET_COOKIE_SECURE', () => {
  it.each([
    [undefined, true],
    ['true', true],
    ['false', false],
  ])('%p gives %p', (value, secure) => {
    expect(loadConfig(CabinetEnv, { CABINET_COOKIE_SECURE: value }).CABINET_COOKIE_SECURE).toBe(
      secure,
    );
  });

  it.each(['', 'yes', '0', 'FALSE'])('refuses %p rather than turning Secure off', (value) => {
    expect(() => loadConfig(CabinetEnv, { CABINET_COOKIE_SECURE: value })).toThrow(ConfigError);
  });
});
