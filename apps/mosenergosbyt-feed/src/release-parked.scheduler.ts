import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { FEED_ENV, type FeedEnv } from './mosenergosbyt-feed.env';
import { ReleaseParkedReadingsUseCase } from './release-parked-readings.use-case';

/**
 * Re-checks parked readings against the cross-reference every MOSENERGOSBYT_RELEASE_INTERVAL_MS.
 * The import only writes the table; polling with one set-based query needs no signal from it,
 * catches mappings written by any means, and survives restarts and lost connections. Runs never
 * overlap, and shutdown waits for the current one.
 */
@Injectable()
export class ReleaseParkedScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReleaseParkedScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly release: ReleaseParkedReadingsUseCase,
    @Inject(FEED_ENV) private readonly env: FeedEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.run().finally(() => {
        this.running = null;
        this.schedule(this.env.MOSENERGOSBYT_RELEASE_INTERVAL_MS);
      });
    }, delayMs);
  }

  private async run(): Promise<void> {
    try {
      const released = await this.release.execute();
      if (released > 0) this.logger.log({ msg: 'released parked partner readings', released });
    } catch (error) {
      this.logger.error({
        msg: 'releasing parked partner readings failed; retried on the next run',
        error: (error as Error).message,
      });
    }
  }
}
