import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { KioskRepository } from '../persistence/kiosk.repository';

const PURGE_EVERY_MS = 60_000;

/** Keeps the shared nonce table small: nonces past their replay window are deleted every minute. */
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
      await this.kiosks.purgeNonces(new Date());
    } catch (error) {
      this.logger.warn({ msg: 'nonce purge failed; next try in a minute', error: String(error) });
    }
  }
}
