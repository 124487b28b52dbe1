import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretSetting } from '../config/secret-setting';
import { KeyRing } from './key-ring';

/** A SecretBox key as configured: 32 random bytes in hex (`npm run ctl -- keys generate`). */
const KEY_PATTERN = /^[0-9a-fA-F]{64}$/;

/** An env field holding a SecretBox key (see SecretSetting for `development` and `required`). */
export function SecretBoxKey(options: {
  development?: string;
  required: boolean;
}): PropertyDecorator {
  return SecretSetting({
    ...options,
    pattern: KEY_PATTERN,
    format: '64 hex digits (npm run ctl -- keys generate)',
    anyCase: true,
  });
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts secrets the server must be able to read back (an HMAC key cannot be stored as a
 * one-way hash) with AES-256-GCM under a key from config, so a copy of the database alone does
 * not reveal them. `context` (for example the owner's id) is bound as associated data: a sealed
 * value copied to another row does not open.
 *
 * Values are sealed with the ring's current key and carry its id; the previous key still opens
 * what it sealed until `ctl keys reseal-kiosk-secrets` has moved everything to the current one.
 */
export class SecretBox {
  constructor(readonly keys: KeyRing) {}

  /**
   * A box over hex keys, the current one and (during a rotation) the previous one; '' is none.
   * Hex in either case is the same key: ids are made from the lower-case form.
   */
  static of(currentHex: string, previousHex?: string): SecretBox {
    for (const hex of [currentHex, previousHex || currentHex])
      if (!KEY_PATTERN.test(hex)) throw new Error('a SecretBox key is 64 hex digits');
    return new SecretBox(
      KeyRing.of(currentHex.toLowerCase(), previousHex?.toLowerCase(), (hex) =>
        Buffer.from(hex, 'hex'),
      ),
    );
  }

  /** `v2.<key id>.<iv>.<tag>.<ciphertext>`, each binary part base64url. */
  seal(plaintext: string, context: string): string {
    const key = this.keys.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      'v2',
      key.id,
      ...[iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url')),
    ].join('.');
  }

  /**
   * The plaintext; null when the value was sealed under a key not in the ring or another context,
   * or was altered. A `v1.<iv>.<tag>.<ciphertext>` value (sealed before values carried a key id)
   * is tried with each key.
   */
  open(sealed: string, context: string): string | null {
    const parts = sealed.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const key = this.keys.find(parts[1]);
      return key && decrypt(key.bytes, parts.slice(2), context);
    }
    if (parts[0] !== 'v1' || parts.length !== 4) return null;
    for (const key of this.keys.keys) {
      const plaintext = decrypt(key.bytes, parts.slice(1), context);
      if (plaintext !== null) return plaintext;
    }
    return null;
  }

  /** Whether a value is sealed with the current key, so resealing it would change nothing. */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`v2.${this.keys.current.id}.`);
  }
}

function decrypt(key: Buffer, [iv, tag, ciphertext]: string[], context: string): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null;
  }
}
