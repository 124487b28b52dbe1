import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DAY_MS, formatDate, moscowDate } from '@gw/domain';
import { HeldElsewhere } from '@gw/persistence';
import { RepeatingTask } from '@gw/platform';
import { VerificationSync } from '@gw/runtime';
import { BACKOFFICE_ENV, type BackofficeEnv } from '../backoffice.env';

/** How the audit log names the scheduled sync. */
const SCHEDULE_ACTOR = { login: 'arshin-sync', role: 'system' };

/**
 * The scheduled Arshin sync (off by default): every ARSHIN_SYNC_INTERVAL_MINUTES the meters
 * expired or due within ARSHIN_SYNC_DUE_WITHIN_DAYS are looked up. A run still going when the
 * next is due is not doubled, in this instance or any other (the one that finds another syncing
 * skips its turn); a failed run is logged and the next one tries again.
 */
@Injectable()
export class ArshinSyncSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ArshinSyncSchedule.name);
  private readonly loop = new RepeatingTask(
    () => this.runOnce(),
    (error) => this.logger.warn({ msg: 'scheduled Arshin sync failed', error: error.message }),
  );

  constructor(
    private readonly sync: VerificationSync,
    @Inject(BACKOFFICE_ENV) private readonly env: BackofficeEnv,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.ARSHIN_SYNC_INTERVAL_MINUTES > 0)
      this.loop.start(this.env.ARSHIN_SYNC_INTERVAL_MINUTES * 60000);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One run now (or the one in progress). */
  runNow(): Promise<void> {
    return this.loop.runNow();
  }

  private async runOnce(): Promise<void> {
    const dueBy = new Date(Date.now() + this.env.ARSHIN_SYNC_DUE_WITHIN_DAYS * DAY_MS);
    try {
      await this.sync.run({ dueBy: formatDate(moscowDate(dueBy)) }, SCHEDULE_ACTOR);
    } catch (error) {
      if (!(error instanceof HeldElsewhere)) throw error;
      this.logger.log({ msg: 'scheduled Arshin sync skipped: another instance is syncing' });
    }
  }
}
