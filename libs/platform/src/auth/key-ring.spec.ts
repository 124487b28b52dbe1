import { KeyRing, keyId } from './key-ring';

const utf8 = (value: string) => Buffer.from(value, 'utf8');
const OLD = 'old-key-of-at-least-32-characters-000';
const NEW = 'new-key-of-at-least-32-characters-111';

describe('keyId', () => {
  it('is 8 base64url characters, the same for the same value', () => {
    expect(keyId(NEW)).toMatch(/^[\w-]{8}$/);
    expect(keyId(NEW)).toBe(keyId(`${NEW}`));
  });

  it('differs between keys and does not contain the key', () => {
    expect(keyId(NEW)).not.toBe(keyId(OLD));
    expect(NEW).not.toContain(keyId(NEW));
  });
});

describe('KeyRing', () => {
  it.each<[string, string | undefined, string[]]>([
    ['the current key alone', undefined, [NEW]],
    ['an empty previous key as none', '', [NEW]],
    ['a previous key equal to the current one as one key', NEW, [NEW]],
    ['the current key first, then the previous one', OLD, [NEW, OLD]],
  ])('holds %s', (_name, previous, expected) => {
    const ring = KeyRing.of(NEW, previous, utf8);
    expect(ring.keys.map((k) => k.bytes.toString())).toEqual(expected);
    expect(ring.keys.map((k) => k.id)).toEqual(expected.map(keyId));
    expect(ring.current.id).toBe(keyId(NEW));
  });

  it.each<[string, string | undefined, string, string | null]>([
    ['the current key', OLD, keyId(NEW), NEW],
    ['the previous key', OLD, keyId(OLD), OLD],
    ['no removed key', undefined, keyId(OLD), null],
    ['no unknown id', OLD, 'AAAAAAAA', null],
    ['no empty id', OLD, '', null],
  ])('finds %s by its id', (_name, previous, id, expected) => {
    const key = KeyRing.of(NEW, previous, utf8).find(id);
    expect(key ? key.bytes.toString() : null).toBe(expected);
  });

  it('derives key material with the given function, ids from the configured values', () => {
    const ring = KeyRing.of('00ff', 'ff00', (hex) => Buffer.from(hex, 'hex'));
    expect(ring.current).toEqual({ id: keyId('00ff'), bytes: Buffer.from([0, 255]) });
    expect(ring.previous).toEqual({ id: keyId('ff00'), bytes: Buffer.from([255, 0]) });
  });
});
