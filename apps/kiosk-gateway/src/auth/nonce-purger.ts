import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { KIOSK_LIMITS } from '@gw/contracts';
import { KioskRepository } from '../persistence/kiosk.repository';

const PURGE_EVERY_MS = 60_000;
/**
 * A nonce is deleted this long after it expired by the purging instance's clock, so an instance
 * whose clock runs behind by up to the clock window still finds it and refuses a replay.
 */
const PURGE_GRACE_MS = KIOSK_LIMITS.clockSkewSeconds * 1000;

/**
 * Keeps the shared nonce table small: every minute, nonces that expired more than a clock window
 * ago are deleted.
 */
@Injectable()
export class NoncePurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NoncePurger.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly kiosks: KioskRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), PURGE_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async purge(): Promise<void> {
    try {
      await this.kiosks.purgeNonces(new Date(Date.now() - PURGE_GRACE_MS));
    } catch (error) {
      this.logger.warn({ msg: 'nonce purge failed; next try in a minute', error: String(error) });
    }
  }
}
