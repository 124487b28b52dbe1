import { ConfigError, loadConfig } from '@gw/platform';
import { CabinetEnv } from './cabinet.env';

/** Development mode, so that each case stands or falls by the cookie setting alone. */
const DEVELOPMENT = { GATEWAY_MODE: 'development' };

describe('CABINET_COOKIE_SECURE', () => {
  it.each([
    [undefined, true],
    ['true', true],
    ['false', false],
  ])('%p gives %p', (value, secure) => {
    expect(
      loadConfig(CabinetEnv, { ...DEVELOPMENT, CABINET_COOKIE_SECURE: value })
        .CABINET_COOKIE_SECURE,
    ).toBe(secure);
  });

  it.each(['', 'yes', '0', 'FALSE'])('refuses %p rather than turning Secure off', (value) => {
    expect(() => loadConfig(CabinetEnv, { ...DEVELOPMENT, CABINET_COOKIE_SECURE: value })).toThrow(
      ConfigError,
    );
  });
});

describe('CABINET_MAIL_FROM', () => {
  it.each([
    '"Личный кабинет" <no-reply@cabinet.localhost>',
    'no-reply@lk.example.ru',
    'ЕИРЦ <lk@eirc.example.ru>',
  ])('takes %p', (value) => {
    expect(
      loadConfig(CabinetEnv, { ...DEVELOPMENT, CABINET_MAIL_FROM: value }).CABINET_MAIL_FROM,
    ).toBe(value);
  });

  it.each([
    ['no address', 'no-reply'],
    ['an address without a domain', 'Кабинет <no-reply>'],
    ['two addresses', 'a@example.ru, b@example.ru'],
    ['a header smuggled after a line break', 'lk@example.ru\r\nBcc: all@example.ru'],
    ['a group', 'Residents: a@example.ru;'],
    ['nothing', ''],
  ])('refuses %s', (_, value) => {
    expect(() => loadConfig(CabinetEnv, { ...DEVELOPMENT, CABINET_MAIL_FROM: value })).toThrow(
      'CABINET_MAIL_FROM must be one address',
    );
  });
});

describe('CABINET_CORS_ORIGINS', () => {
  it('takes origins as browsers send them', () => {
    expect(
      loadConfig(CabinetEnv, {
        ...DEVELOPMENT,
        CABINET_CORS_ORIGINS: 'https://lk.example.ru, http://127.0.0.1:5173',
      }).CABINET_CORS_ORIGINS,
    ).toEqual(['https://lk.example.ru', 'http://127.0.0.1:5173']);
  });

  it.each([
    ['a slash at the end, which no browser sends', 'https://lk.example.ru/'],
    ['a path', 'https://lk.example.ru/cabinet'],
    ['upper case', 'https://LK.example.ru'],
    ['the default port spelled out', 'https://lk.example.ru:443'],
    ['no scheme', 'lk.example.ru'],
    ['a wildcard, which would never match', '*'],
    ['another scheme', 'ftp://lk.example.ru'],
  ])('refuses %s', (_, value) => {
    expect(() => loadConfig(CabinetEnv, { ...DEVELOPMENT, CABINET_CORS_ORIGINS: value })).toThrow(
      'CABINET_CORS_ORIGINS must be a comma list of origins',
    );
  });
});

describe('CABINET_REMINDER_MAIL_INTERVAL_MS', () => {
  const load = (value: string) =>
    loadConfig(CabinetEnv, { ...DEVELOPMENT, CABINET_REMINDER_MAIL_INTERVAL_MS: value })
      .CABINET_REMINDER_MAIL_INTERVAL_MS;

  it.each([
    ['100', 100],
    ['3600000', 3600000],
  ])('takes %s', (value, ms) => {
    expect(load(value)).toBe(ms);
  });

  it.each([
    ['99', 'CABINET_REMINDER_MAIL_INTERVAL_MS must not be less than 100'],
    ['3600001', 'CABINET_REMINDER_MAIL_INTERVAL_MS must not be greater than 3600000'],
    ['3000000000', 'CABINET_REMINDER_MAIL_INTERVAL_MS must not be greater than 3600000'],
  ])('refuses %s at boot', (value, message) => {
    expect(() => load(value)).toThrow(message);
  });
});

describe('CABINET_CODE_RESEND_SECONDS', () => {
  it('takes 1 to 3600 seconds and refuses 0, which would not space the e-mails', () => {
    const load = (value: string) =>
      loadConfig(CabinetEnv, { ...DEVELOPMENT, CABINET_CODE_RESEND_SECONDS: value });
    expect(load('1').CABINET_CODE_RESEND_SECONDS).toBe(1);
    expect(load('3600').CABINET_CODE_RESEND_SECONDS).toBe(3600);
    expect(() => load('0')).toThrow('CABINET_CODE_RESEND_SECONDS must not be less than 1');
    expect(() => load('3601')).toThrow('CABINET_CODE_RESEND_SECONDS must not be greater than 3600');
  });
});
