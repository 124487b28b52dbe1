import { Matches, ValidateIf } from 'class-validator';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The hex of "dev-only-key-never-in-production": lets `npm start` and the tests run without
 * configuration. Config validation refuses to start with it missing when NODE_ENV=production.
 */
export const DEVELOPMENT_SECRET_BOX_KEY =
  '6465762d6f6e6c792d6b65792d6e657665722d696e2d70726f64756374696f6e';

/**
 * An env field holding a SecretBox key: optional in development (DEVELOPMENT_SECRET_BOX_KEY is
 * used), required when NODE_ENV=production; 64 hex digits either way.
 */
export function IsSecretBoxKey(): PropertyDecorator {
  return (target, property) => {
    ValidateIf(
      (env: Record<string, unknown>) =>
        env.NODE_ENV === 'production' || env[property as string] !== undefined,
    )(target, property as string);
    Matches(/^[0-9a-fA-F]{64}$/, {
      message: `${String(property)} must be 64 hex digits (32 random bytes, e.g. \`openssl rand -hex 32\`); it is required when NODE_ENV=production`,
    })(target, property as string);
  };
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts secrets the server must be able to read back (an HMAC key cannot be stored as a
 * one-way hash) with AES-256-GCM under a key from config, so a copy of the database alone does
 * not reveal them. `context` (for example the owner's id) is bound as associated data: a sealed
 * value copied to another row does not open.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(hexKey: string) {
    if (!/^[0-9a-fA-F]{64}$/.test(hexKey)) throw new Error('a SecretBox key is 64 hex digits');
    this.key = Buffer.from(hexKey, 'hex');
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, each part base64url. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The plaintext; null when the value was sealed under another key or context, or was altered. */
  open(sealed: string, context: string): string | null {
    const [version, iv, tag, ciphertext, extra] = sealed.split('.');
    if (version !== VERSION || ciphertext === undefined || extra !== undefined) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
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
}
