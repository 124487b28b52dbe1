import 'reflect-metadata';
import { BaseEnv } from './base.env';
import { loadConfig } from './load-config';
import { DEVELOPMENT_SECRETS, SecretSetting } from './secret-setting';

const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const DEV_KEY = DEVELOPMENT_SECRETS.KIOSK_SECRET_KEY;
const hex = { pattern: /^[0-9a-fA-F]{64}$/, format: '64 hex digits', anyCase: true };

class SecretEnv extends BaseEnv {
  @SecretSetting({ ...hex, development: DEV_KEY, required: true })
  SOME_KEY!: string;

  @SecretSetting({ ...hex, required: false })
  SOME_KEY_PREVIOUS?: string;

  @SecretSetting({ ...hex, development: DEV_KEY, required: false })
  COMMAND_KEY?: string;
}

const development = { GATEWAY_MODE: 'development' };

describe('SecretSetting', () => {
  it.each<[string, NodeJS.ProcessEnv, Partial<SecretEnv>]>([
    [
      'unset in development: the development key',
      development,
      { SOME_KEY: DEV_KEY, COMMAND_KEY: DEV_KEY },
    ],
    [
      'empty in development: the development key',
      { ...development, SOME_KEY: '' },
      { SOME_KEY: DEV_KEY },
    ],
    ['given in development', { ...development, SOME_KEY: KEY }, { SOME_KEY: KEY }],
    ['given in production', { SOME_KEY: KEY }, { SOME_KEY: KEY, COMMAND_KEY: undefined }],
    [
      'a previous key',
      { SOME_KEY: KEY, SOME_KEY_PREVIOUS: KEY.toUpperCase() },
      { SOME_KEY_PREVIOUS: KEY.toUpperCase() },
    ],
    [
      'the development key as previous, in development',
      { ...development, SOME_KEY_PREVIOUS: DEV_KEY },
      { SOME_KEY_PREVIOUS: DEV_KEY },
    ],
  ])('accepts %s', (_name, env, expected) => {
    expect(loadConfig(SecretEnv, env)).toMatchObject(expected);
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    ['unset by default', {}, 'SOME_KEY is not set: it is required outside development mode'],
    ['unset in production', { GATEWAY_MODE: 'production' }, 'SOME_KEY is not set'],
    ['unset in an unknown mode', { GATEWAY_MODE: 'dev' }, 'SOME_KEY is not set'],
    ['empty', { SOME_KEY: '' }, 'SOME_KEY is not set'],
    ['malformed', { SOME_KEY: 'abcd' }, 'SOME_KEY must be 64 hex digits'],
    [
      'malformed in development',
      { ...development, SOME_KEY: KEY.replace('0', 'z') },
      'SOME_KEY must be 64 hex digits',
    ],
    [
      'the development key outside development',
      { SOME_KEY: DEV_KEY },
      'SOME_KEY is a development key published with the code',
    ],
    [
      'the development key in upper case outside development',
      { SOME_KEY: DEV_KEY.toUpperCase() },
      'SOME_KEY is a development key published with the code',
    ],
    [
      'the development key as previous',
      { SOME_KEY: KEY, SOME_KEY_PREVIOUS: DEV_KEY },
      'SOME_KEY_PREVIOUS is a development key',
    ],
    [
      'the development key for a command',
      { SOME_KEY: KEY, COMMAND_KEY: DEV_KEY },
      'COMMAND_KEY is a development key',
    ],
    [
      'a malformed previous key',
      { SOME_KEY: KEY, SOME_KEY_PREVIOUS: 'x' },
      'SOME_KEY_PREVIOUS must be 64 hex digits',
    ],
  ])('refuses %s, naming the variable but not its value', (_name, env, message) => {
    let error: Error | undefined;
    try {
      loadConfig(SecretEnv, env);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(message);
    for (const value of Object.values(env))
      if (value && value.length > 8) expect(error?.message).not.toContain(value);
  });

  it('takes a secret in other letter case as another secret unless it is a hex key', () => {
    class TokenEnv extends BaseEnv {
      @SecretSetting({ pattern: /^.{32,}$/, format: 'at least 32 characters', required: true })
      TOKEN_SECRET!: string;
    }
    const upper = DEVELOPMENT_SECRETS.CABINET_SECRET.toUpperCase();
    expect(loadConfig(TokenEnv, { TOKEN_SECRET: upper })).toMatchObject({ TOKEN_SECRET: upper });
  });

  it('refuses a published value of another secret too', () => {
    class TokenEnv extends BaseEnv {
      @SecretSetting({ pattern: /^.{32,}$/, format: 'at least 32 characters', required: true })
      TOKEN_SECRET!: string;
    }
    expect(() =>
      loadConfig(TokenEnv, { TOKEN_SECRET: DEVELOPMENT_SECRETS.CABINET_SECRET }),
    ).toThrow('TOKEN_SECRET is a development key');
  });
});
