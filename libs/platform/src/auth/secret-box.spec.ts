import 'reflect-metadata';
import { loadConfig } from '../config/load-config';
import { IsSecretBoxKey, SecretBox } from './secret-box';

class KeyedEnv {
  @IsSecretBoxKey()
  SOME_SECRET_KEY?: string;
}

const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const OTHER_KEY = 'ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(KEY);

  it('opens what it sealed, for the same context', () => {
    const sealed = box.seal('s3cr3t-Кириллица', 'K-0042');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('s3cr3t');
    expect(box.open(sealed, 'K-0042')).toBe('s3cr3t-Кириллица');
  });

  it('seals the same secret differently every time (random IV)', () => {
    expect(box.seal('same', 'K-1')).not.toBe(box.seal('same', 'K-1'));
  });

  it.each<[string, (sealed: string) => string, string, SecretBox]>([
    ['another context', (s) => s, 'K-0043', box],
    ['another key', (s) => s, 'K-0042', new SecretBox(OTHER_KEY)],
    [
      'an altered ciphertext',
      (s) => `${s.slice(0, -2)}${s.endsWith('AA') ? 'AB' : 'AA'}`,
      'K-0042',
      box,
    ],
    [
      'an altered tag',
      (s) => s.replace(/^v1\.([^.]+)\.(.)/, (_m, iv, c) => `v1.${iv}.${c === 'A' ? 'B' : 'A'}`),
      'K-0042',
      box,
    ],
    ['an unknown version', (s) => s.replace(/^v1/, 'v2'), 'K-0042', box],
    ['too few parts', (s) => s.split('.').slice(0, 3).join('.'), 'K-0042', box],
    ['too many parts', (s) => `${s}.x`, 'K-0042', box],
    ['garbage', () => 'not sealed at all', 'K-0042', box],
  ])('refuses %s', (_name, tamper, context, opener) => {
    expect(opener.open(tamper(box.seal('s3cr3t', 'K-0042')), context)).toBeNull();
  });

  it.each(['', 'abc', `${KEY}00`, KEY.replace('0', 'g')])('rejects the key %j', (key) => {
    expect(() => new SecretBox(key)).toThrow('64 hex digits');
  });
});

describe('IsSecretBoxKey', () => {
  it.each<[string, NodeJS.ProcessEnv, string | undefined]>([
    ['absent in development', {}, undefined],
    ['absent in test', { NODE_ENV: 'test' }, undefined],
    ['given in development', { SOME_SECRET_KEY: KEY }, KEY],
    ['given in production', { NODE_ENV: 'production', SOME_SECRET_KEY: KEY }, KEY],
  ])('accepts the key %s', (_name, env, expected) => {
    expect(loadConfig(KeyedEnv, env).SOME_SECRET_KEY).toBe(expected);
  });

  it.each<[string, NodeJS.ProcessEnv]>([
    ['absent in production', { NODE_ENV: 'production' }],
    ['too short', { SOME_SECRET_KEY: 'abcd' }],
    ['empty', { SOME_SECRET_KEY: '' }],
    ['not hex', { SOME_SECRET_KEY: KEY.replace('0', 'z') }],
  ])('refuses the key %s, naming the variable but not its value', (_name, env) => {
    expect(() => loadConfig(KeyedEnv, env)).toThrow(/SOME_SECRET_KEY must be 64 hex digits/);
    try {
      loadConfig(KeyedEnv, env);
    } catch (error) {
      if (env.SOME_SECRET_KEY) expect((error as Error).message).not.toContain(env.SOME_SECRET_KEY);
    }
  });
});
