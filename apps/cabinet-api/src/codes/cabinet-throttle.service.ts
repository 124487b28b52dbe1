import { Injectable } from '@nestjs/common';
import { type RateLimit, retryAfterMs } from '@gw/domain';
import { CabinetThrottleRepository } from '@gw/persistence';
import { CabinetKeys } from '../auth/cabinet-keys';
import { CabinetEnv } from '../cabinet.env';
import { CabinetError } from '../cabinet.errors';
import { Clock } from '../clock';

/** What the cabinet counts: failed payment-document checks, and codes e-mailed to an address. */
export type ThrottleScope = 'check_failed_account' | 'check_failed_ip' | 'code_sent';

/**
 * Rate limits against guessing and mail flooding, counted in the database so every instance sees
 * the same numbers. Keys are stored as HMACs.
 */
@Injectable()
export class CabinetThrottle {
  private readonly rules: Record<ThrottleScope, RateLimit>;

  constructor(
    private readonly events: CabinetThrottleRepository,
    private readonly keys: CabinetKeys,
    private readonly clock: Clock,
    env: CabinetEnv,
  ) {
    const checkWindowMs = env.CABINET_CHECK_WINDOW_MINUTES * 60 * 1000;
    this.rules = {
      check_failed_account: {
        limit: env.CABINET_CHECK_FAILURES_PER_ACCOUNT,
        windowMs: checkWindowMs,
      },
      check_failed_ip: { limit: env.CABINET_CHECK_FAILURES_PER_IP, windowMs: checkWindowMs },
      code_sent: {
        limit: env.CABINET_CODES_PER_HOUR,
        windowMs: 3600 * 1000,
        minIntervalMs: env.CABINET_CODE_RESEND_SECONDS * 1000,
      },
    };
  }

  /** Throws a 429 error when one more event of `scope` for `key` is not allowed now. */
  async assertAllowed(scope: ThrottleScope, key: string): Promise<void> {
    const rule = this.rules[scope];
    const now = this.clock.now();
    const recent = await this.events.since(
      scope,
      this.keyHash(scope, key),
      new Date(now.getTime() - rule.windowMs),
    );
    const waitMs = retryAfterMs(recent, now, rule);
    if (waitMs === 0) return;
    throw scope === 'code_sent'
      ? new CabinetError(
          'TOO_MANY_CODES',
          'a code was sent to this address too recently; wait before asking for another',
          waitMs / 1000,
        )
      : new CabinetError(
          'TOO_MANY_ATTEMPTS',
          'too many failed attempts; wait before trying again',
          waitMs / 1000,
        );
  }

  async record(scope: ThrottleScope, key: string): Promise<void> {
    await this.events.record(scope, this.keyHash(scope, key), this.clock.now());
  }

  private keyHash(scope: ThrottleScope, key: string): string {
    return this.keys.digest('throttle-key', `${scope}:${key}`);
  }
}
