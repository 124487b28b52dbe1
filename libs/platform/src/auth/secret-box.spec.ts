import { createCipheriv, randomBytes } from 'node:crypto';
import 'reflect-metadata';
import { BaseEnv } from '../config/base.env';
import { loadConfig } from '../config/load-config';
import { DEVELOPMENT_SECRETS } from '../config/secret-setting';
import { keyId } from './key-ring';
import { SecretBox, SecretBoxKey } from './secret-box';

const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const OTHER_KEY = 'ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

/** A value as sealed before sealed values carried a key id. */
function sealedWithoutKeyId(hexKey: string, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(hexKey, 'hex'), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', ...[iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'))].join(
    '.',
  );
}

describe('SecretBox (AES-256-GCM)', () => {
  const box = SecretBox.of(KEY);

  it('opens what it sealed, for the same context, and names the key', () => {
    const sealed = box.seal('s3cr3t-Кириллица', 'K-0042');
    expect(sealed).toMatch(new RegExp(`^v2\\.${keyId(KEY)}\\.[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    expect(sealed).not.toContain('s3cr3t');
    expect(box.open(sealed, 'K-0042')).toBe('s3cr3t-Кириллица');
  });

  it('seals the same secret differently every time (random IV)', () => {
    expect(box.seal('same', 'K-1')).not.toBe(box.seal('same', 'K-1'));
  });

  it.each<[string, (sealed: string) => string, string, SecretBox]>([
    ['another context', (s) => s, 'K-0043', box],
    ['another key', (s) => s, 'K-0042', SecretBox.of(OTHER_KEY)],
    [
      'a key id changed to another key of the ring',
      (s) => s.replace(keyId(KEY), keyId(OTHER_KEY)),
      'K-0042',
      SecretBox.of(KEY, OTHER_KEY),
    ],
    [
      'an altered ciphertext',
      (s) => `${s.slice(0, -2)}${s.endsWith('AA') ? 'AB' : 'AA'}`,
      'K-0042',
      box,
    ],
    [
      'an altered tag',
      (s) =>
        s.replace(/^(v2\.[^.]+\.[^.]+)\.(.)/, (_m, head, c) => `${head}.${c === 'A' ? 'B' : 'A'}`),
      'K-0042',
      box,
    ],
    ['an unknown version', (s) => s.replace(/^v2/, 'v3'), 'K-0042', box],
    ['too few parts', (s) => s.split('.').slice(0, 4).join('.'), 'K-0042', box],
    ['too many parts', (s) => `${s}.x`, 'K-0042', box],
    ['garbage', () => 'not sealed at all', 'K-0042', box],
  ])('refuses %s', (_name, tamper, context, opener) => {
    expect(opener.open(tamper(box.seal('s3cr3t', 'K-0042')), context)).toBeNull();
  });

  it('takes a key in upper-case hex as the same key, with the same id', () => {
    const upper = SecretBox.of(KEY.toUpperCase(), OTHER_KEY.toUpperCase());
    expect(upper.keys.keys.map((k) => k.id)).toEqual([keyId(KEY), keyId(OTHER_KEY)]);
    expect(upper.open(box.seal('s3cr3t', 'K-1'), 'K-1')).toBe('s3cr3t');
    expect(box.open(upper.seal('s3cr3t', 'K-1'), 'K-1')).toBe('s3cr3t');
    expect(SecretBox.of(KEY, KEY.toUpperCase()).keys.keys).toHaveLength(1);
  });

  it.each(['', 'abc', `${KEY}00`, KEY.replace('0', 'g')])('rejects the key %j', (key) => {
    expect(() => SecretBox.of(key)).toThrow('64 hex digits');
    expect(() => SecretBox.of(KEY, key || 'x')).toThrow('64 hex digits');
  });
});

describe('SecretBox during a key rotation', () => {
  const before = SecretBox.of(OTHER_KEY);
  const during = SecretBox.of(KEY, OTHER_KEY);
  const after = SecretBox.of(KEY);

  it('opens what the previous key sealed and seals with the current one', () => {
    const old = before.seal('s3cr3t', 'K-1');
    expect(during.open(old, 'K-1')).toBe('s3cr3t');
    expect(during.isCurrent(old)).toBe(false);
    const resealed = during.seal('s3cr3t', 'K-1');
    expect(during.isCurrent(resealed)).toBe(true);
    expect(after.open(resealed, 'K-1')).toBe('s3cr3t');
  });

  it('takes an empty previous key (a variable set to nothing) as none', () => {
    expect(SecretBox.of(KEY, '').keys.keys).toHaveLength(1);
  });

  it('no longer opens what a removed key sealed', () => {
    expect(after.open(before.seal('s3cr3t', 'K-1'), 'K-1')).toBeNull();
  });

  it.each<[string, SecretBox, string | null]>([
    ['with the current key', SecretBox.of(OTHER_KEY, KEY), 's3cr3t'],
    ['with the previous key', during, 's3cr3t'],
    ['not with a removed key', after, null],
  ])('opens a value sealed without a key id %s', (_name, opener, expected) => {
    const old = sealedWithoutKeyId(OTHER_KEY, 's3cr3t', 'K-1');
    expect(opener.open(old, 'K-1')).toBe(expected);
    expect(opener.isCurrent(old)).toBe(false);
  });
});

describe('SecretBoxKey', () => {
  class KeyEnv extends BaseEnv {
    @SecretBoxKey({ required: true })
    SOME_KEY!: string;
  }

  it('refuses the published development key in either letter case outside development', () => {
    for (const key of [
      DEVELOPMENT_SECRETS.KIOSK_SECRET_KEY,
      DEVELOPMENT_SECRETS.KIOSK_SECRET_KEY.toUpperCase(),
    ])
      expect(() => loadConfig(KeyEnv, { SOME_KEY: key })).toThrow(
        'SOME_KEY is a development key published with the code',
      );
  });
});
