import { Logger } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';

/**
 * Keys derived from CABINET_SECRET, one per use, so a session token can never pass for a code
 * hash. Codes, rate-limit keys (e-mails, IPs) and the addresses sign-in codes belong to are
 * stored only as HMACs: without the secret a stolen table reveals neither the codes nor who was
 * throttled or asked to sign in.
 */
export class CabinetKeys {
  /** HMAC key of session tokens. */
  readonly sessionKey: string;

  private constructor(private readonly secret: Buffer) {
    this.sessionKey = this.derive('session-token').toString('base64url');
  }

  static from(secret: string): CabinetKeys {
    if (secret !== '') return new CabinetKeys(Buffer.from(secret, 'utf8'));
    new Logger(CabinetKeys.name).warn({
      msg: 'CABINET_SECRET is not set: using a random key, so sessions end when this process stops',
    });
    return new CabinetKeys(randomBytes(32));
  }

  /** Hex HMAC of `text` under the key of `use`. */
  digest(use: 'one-time-code' | 'throttle-key' | 'sign-in-subject', text: string): string {
    return createHmac('sha256', this.derive(use)).update(text, 'utf8').digest('hex');
  }

  private derive(use: string): Buffer {
    return createHmac('sha256', this.secret).update(use).digest();
  }
}
