import { createHmac } from 'node:crypto';
import { KeyRing, keyId } from './key-ring';
import { signToken, tokenKeyId, verifyToken } from './signed-token';

const utf8 = (value: string) => Buffer.from(value, 'utf8');
const OLD = 'old-token-key-of-at-least-32-characters';
const NEW = 'new-token-key-of-at-least-32-characters';
const NOW = Date.parse('2026-12-01T10:00:00Z');
const claims = { sub: 'operator-1', sid: 'c0ffee' };

const ring = (current: string, previous?: string) => KeyRing.of(current, previous, utf8);

/** A token as signed before tokens carried a key id. */
function unkeyedToken(secret: string, exp = NOW / 1000 + 60): string {
  const body = Buffer.from(JSON.stringify({ ...claims, exp })).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('signed tokens with key ids', () => {
  it('signs with the current key and names it', () => {
    const token = signToken(claims, ring(NEW, OLD), 60, NOW);
    expect(tokenKeyId(token)).toBe(keyId(NEW));
    expect(verifyToken(token, ring(NEW), NOW)).toEqual({ ...claims, exp: NOW / 1000 + 60 });
  });

  it.each<[string, string, KeyRing, boolean]>([
    ['the previous key during a rotation', OLD, ring(NEW, OLD), true],
    ['a key being introduced as previous', NEW, ring(OLD, NEW), true],
    ['a key removed from the ring', OLD, ring(NEW), false],
    ['a key never in the ring', 'another-key-of-at-least-32-characters', ring(NEW, OLD), false],
  ])('checks a token signed with %s', (_name, signer, verifier, accepted) => {
    const token = signToken(claims, ring(signer), 60, NOW);
    expect(verifyToken(token, verifier, NOW) !== null).toBe(accepted);
  });

  it.each<[string, (token: string) => string]>([
    ['another key id', (t) => t.replace(/^[^.]+/, keyId(OLD))],
    ['a key id not in the ring', (t) => t.replace(/^[^.]+/, 'AAAAAAAA')],
    ['an altered payload', (t) => t.replace(/\.([^.]+)\./, (_m, b) => `.${b}x.`)],
    ['an altered signature', (t) => `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`],
    ['a fourth part', (t) => `${t}.x`],
    ['no key id and a signature over the key id', (t) => t.split('.').slice(1).join('.')],
    ['garbage', () => 'not-a-token'],
  ])('refuses %s', (_name, tamper) => {
    const token = signToken(claims, ring(NEW, OLD), 60, NOW);
    expect(verifyToken(tamper(token), ring(NEW, OLD), NOW)).toBeNull();
  });

  it('refuses an expired token', () => {
    const token = signToken(claims, ring(NEW), 60, NOW);
    expect(verifyToken(token, ring(NEW), NOW + 59_999)).not.toBeNull();
    expect(verifyToken(token, ring(NEW), NOW + 60_000)).toBeNull();
  });

  it.each<[string, string, KeyRing, boolean]>([
    ['the current key', NEW, ring(NEW), true],
    ['the previous key', OLD, ring(NEW, OLD), true],
    ['a removed key', OLD, ring(NEW), false],
  ])('checks a token without a key id signed with %s', (_name, signer, verifier, accepted) => {
    expect(verifyToken(unkeyedToken(signer), verifier, NOW) !== null).toBe(accepted);
    expect(tokenKeyId(unkeyedToken(signer))).toBeNull();
  });

  it('refuses an expired token without a key id', () => {
    expect(verifyToken(unkeyedToken(NEW, NOW / 1000), ring(NEW), NOW)).toBeNull();
  });
});
