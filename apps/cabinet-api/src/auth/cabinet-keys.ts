import { KeyRing } from '@gw/platform';
import { createHmac } from 'node:crypto';

type Use = 'session-token' | 'one-time-code' | 'throttle-key' | 'sign-in-subject';

const derive = (secret: string, use: Use) =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(use).digest();

/**
 * Keys derived from CABINET_SECRET, one per use, so a session token can never pass for a code
 * hash. Codes, rate-limit keys (e-mails, IPs) and the addresses sign-in codes belong to are
 * stored only as HMACs: without the secret a stolen table reveals neither the codes nor who was
 * throttled or asked to sign in.
 *
 * Session tokens are checked with CABINET_SECRET_PREVIOUS too, so a rotation keeps residents
 * signed in. The other digests use the current secret alone: they live minutes to an hour (codes
 * and rate-limit windows), and a lookup by digest cannot try two keys in one indexed query.
 */
export class CabinetKeys {
  /** Keys of session tokens: the text of the derived key is what tokens are signed with. */
  readonly sessionKeys: KeyRing;

  private constructor(
    private readonly secret: string,
    previous: string | undefined,
  ) {
    this.sessionKeys = KeyRing.of(secret, previous, (value) =>
      Buffer.from(derive(value, 'session-token').toString('base64url'), 'utf8'),
    );
  }

  static from(secret: string, previous?: string): CabinetKeys {
    return new CabinetKeys(secret, previous);
  }

  /** Hex HMAC of `text` under the key of `use`. */
  digest(use: Exclude<Use, 'session-token'>, text: string): string {
    return createHmac('sha256', derive(this.secret, use)).update(text, 'utf8').digest('hex');
  }
}
