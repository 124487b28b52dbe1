import { Injectable } from '@nestjs/common';
import type { RateLimit } from '@gw/domain';
import { type LimitedKey, RateLimiter } from '@gw/persistence';
import { addressBlock } from '@gw/platform';
import { CabinetKeys } from '../auth/cabinet-keys';
import { CabinetEnv } from '../cabinet.env';
import { CabinetError } from '../cabinet.errors';
import { Clock } from '../clock';

/** What the cabinet counts. */
type ThrottleScope =
  | 'check_account'
  | 'check_ip'
  | 'check_resident'
  | 'code_address'
  | 'code_address_resend'
  | 'code_ip'
  | 'code_daily'
  | 'confirm_address'
  | 'confirm_ip';

const HOUR_MS = 3600 * 1000;
/** Every code mailed counts against one global daily cap under this key. */
const EVERYONE = '*';

/**
 * Limits against guessing payment documents and codes and against mail floods, counted in
 * PostgreSQL so every instance sees the same numbers. Each attempt is counted before the check it
 * guards, so concurrent guesses cannot pass a limit none of them has reached yet. Keys are HMACs.
 */
@Injectable()
export class CabinetThrottle {
  private readonly rules: Record<ThrottleScope, RateLimit>;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly keys: CabinetKeys,
    private readonly clock: Clock,
    env: CabinetEnv,
  ) {
    const checkWindowMs = env.CABINET_CHECK_WINDOW_MINUTES * 60 * 1000;
    this.rules = {
      check_account: { limit: env.CABINET_CHECK_FAILURES_PER_ACCOUNT, windowMs: checkWindowMs },
      check_ip: { limit: env.CABINET_CHECK_FAILURES_PER_IP, windowMs: checkWindowMs },
      check_resident: { limit: env.CABINET_LINK_CHECKS_PER_RESIDENT, windowMs: checkWindowMs },
      code_address: { limit: env.CABINET_CODES_PER_HOUR, windowMs: HOUR_MS },
      code_address_resend: {
        limit: 1,
        windowMs: env.CABINET_CODE_RESEND_SECONDS * 1000,
      },
      code_ip: { limit: env.CABINET_CODES_PER_IP_PER_HOUR, windowMs: HOUR_MS },
      code_daily: { limit: env.CABINET_CODES_PER_DAY, windowMs: 24 * HOUR_MS },
      confirm_address: { limit: env.CABINET_CODE_CONFIRMS_PER_ADDRESS_PER_HOUR, windowMs: HOUR_MS },
      confirm_ip: { limit: env.CABINET_CODE_CONFIRMS_PER_IP_PER_HOUR, windowMs: HOUR_MS },
    };
  }

  /**
   * Counts a payment-document check of `accountNumber` from `clientIp` (and, when a signed-in
   * resident links an account, by `residentId`), then refuses it if over.
   */
  async takeDocumentCheck(
    accountNumber: string,
    clientIp: string,
    residentId?: string,
  ): Promise<void> {
    const hits: [ThrottleScope, string][] = [
      ['check_account', accountNumber],
      ['check_ip', addressBlock(clientIp)],
    ];
    if (residentId) hits.push(['check_resident', residentId]);
    await this.take(
      hits,
      'TOO_MANY_ATTEMPTS',
      'too many payment-document checks; wait before trying again',
    );
  }

  /**
   * Counts a code e-mailed to `email` at the request of `clientIp`, then refuses it if over. The
   * limits are taken one stage after another, so a request refused by the resend window does not
   * spend the address's hourly codes, nor one refused for its IP the address's.
   */
  async takeCodeMail(email: string, clientIp: string): Promise<void> {
    const stages: [ThrottleScope, string][][] = [
      [['code_address_resend', email]],
      [
        ['code_ip', addressBlock(clientIp)],
        ['code_daily', EVERYONE],
      ],
      [['code_address', email]],
    ];
    for (const stage of stages)
      await this.take(
        stage,
        'TOO_MANY_CODES',
        'too many codes asked for this address or from this client; wait before asking again',
      );
  }

  /**
   * Sends a code mail that `takeCodeMail` counted. A mail that fails leaves the address's resend
   * window: nothing reached the resident, and a retry after the failure's Retry-After should not
   * hear that a code was sent recently. Its hourly, per-client and daily counts stand.
   */
  async sendCodeMail(email: string, send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (error) {
      await this.limiter.reset(...this.limitKey('code_address_resend', email));
      throw error;
    }
  }

  /** Counts a code typed in for `email` from `clientIp`, then refuses it if over. */
  async takeCodeConfirm(email: string, clientIp: string): Promise<void> {
    await this.take(
      [
        ['confirm_address', email],
        ['confirm_ip', addressBlock(clientIp)],
      ],
      'TOO_MANY_ATTEMPTS',
      'too many codes tried for this address or from this client; wait before trying again',
    );
  }

  /** Counts one attempt under every hit, then refuses it with `code` if one of them is over. */
  private async take(
    hits: [ThrottleScope, string][],
    code: 'TOO_MANY_ATTEMPTS' | 'TOO_MANY_CODES',
    message: string,
  ): Promise<void> {
    const limits: LimitedKey[] = hits.map(([scope, key]) => {
      const [limited, digest] = this.limitKey(scope, key);
      return { scope: limited, key: digest, rule: this.rules[scope] };
    });
    const waitMs = await this.limiter.take(limits, this.clock.now());
    if (waitMs > 0) throw new CabinetError(code, message, waitMs / 1000);
  }

  /** The limiter's scope and key of `key` counted under `scope`. */
  private limitKey(scope: ThrottleScope, key: string): [string, string] {
    return [`cabinet_${scope}`, this.keys.digest('throttle-key', `${scope}:${key}`)];
  }
}
