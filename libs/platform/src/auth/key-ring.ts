import { createHash } from 'node:crypto';

/** A key of a ring: its public id and the bytes used to sign or encrypt. */
export interface RingKey {
  id: string;
  bytes: Buffer;
}

/**
 * A key's id: 8 base64url characters of a SHA-256 of its value, so the id of a configured key can
 * be computed anywhere (`ctl keys generate` prints it) and never has to be kept in step with the key
 * by hand. It reveals nothing usable: finding the key from it is as hard as from any HMAC it made.
 */
export function keyId(value: string): string {
  return createHash('sha256')
    .update(`meter-gateway key id\n${value}`)
    .digest('base64url')
    .slice(0, 8);
}

/**
 * The keys of one purpose (operator tokens, resident tokens, kiosk secrets): the current key makes
 * everything new, and during a rotation the previous key still checks what it made. Tokens and
 * sealed values carry the id of their key, so checking one costs one key, and a value made under
 * a key that has left the ring is refused.
 */
export class KeyRing {
  private constructor(
    readonly current: RingKey,
    readonly previous: RingKey | null,
  ) {}

  /**
   * `bytes` turns a configured value into key material (hex-decoding, derivation). A previous key
   * equal to the current one is the same key: the ring then holds one.
   */
  static of(
    current: string,
    previous: string | undefined,
    bytes: (value: string) => Buffer,
  ): KeyRing {
    const key = (value: string): RingKey => ({ id: keyId(value), bytes: bytes(value) });
    const ring = new KeyRing(key(current), null);
    if (previous === undefined || previous === '' || keyId(previous) === ring.current.id)
      return ring;
    return new KeyRing(ring.current, key(previous));
  }

  /** The key with this id; null when it is not (or no longer) in the ring. */
  find(id: string): RingKey | null {
    if (id === this.current.id) return this.current;
    return id === this.previous?.id ? this.previous : null;
  }

  /** Every key, the current one first. */
  get keys(): RingKey[] {
    return this.previous ? [this.current, this.previous] : [this.current];
  }
}
