import { ConfigError, loadConfig } from '@gw/platform';
import { createTransport } from 'nodemailer';
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

describe('SMTP_URL', () => {
  it.each([
    'smtp://127.0.0.1:1025',
    'smtps://mailer:p%40ss@smtp.example.ru:465',
    'smtp://relay',
    'smtp://mail_catcher:1025',
    'smtp://[::1]:25',
  ])('takes %p, which the mailer reads', (value) => {
    expect(loadConfig(CabinetEnv, { ...DEVELOPMENT, SMTP_URL: value }).SMTP_URL).toBe(value);
    expect(() => createTransport({ url: value }).close()).not.toThrow();
  });

  // Each of these passed the boot and then stopped the mailer's construction with an error
  // quoting the URL whole, its password in the log.
  it.each([
    ['a port that is no number', 'smtp://mailer:s3cret@smtp.example.ru:abc'],
    ['a port beyond 65535', 'smtp://mailer:s3cret@smtp.example.ru:99999'],
    ['an unclosed IPv6 literal', 'smtp://mailer:s3cret@[::1:25'],
    ['a host with an encoded blank', 'smtp://mailer:s3cret@smtp%20example.ru'],
    ['no host', 'smtp://mailer:s3cret@'],
    ['another scheme', 'http://mailer:s3cret@smtp.example.ru'],
  ])('refuses %s, naming the variable and not the password', (_, value) => {
    const boot = () => loadConfig(CabinetEnv, { ...DEVELOPMENT, SMTP_URL: value });
    expect(boot).toThrow('SMTP_URL must be an smtp:// or smtps:// URL');
    expect(boot).not.toThrow('s3cret');
  });
});
