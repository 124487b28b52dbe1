import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { isDatabaseUnavailable } from '@gw/persistence';
import { logRetriedFailure, RepeatingTask } from '@gw/platform';
import { FEED_ENV, type FeedEnv } from './mosenergosbyt-feed.env';
import { PublishOutboundReadingsUseCase } from './publish-outbound-readings.use-case';
import { PurgePartnerHistoryUseCase } from './purge-partner-history.use-case';
import { ReleaseParkedReadingsUseCase } from './release-parked-readings.use-case';

const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Re-checks parked partner readings, and our accepted readings pending for the partner, against
 * the cross-reference every MOSENERGOSBYT_RELEASE_INTERVAL_MS.
 * The import only writes the table; polling with set-based queries needs no signal from it,
 * catches mappings written by any means, and survives restarts and lost connections (the pending
 * readings' check looks at what changed since its last run, found through the id of the
 * transaction that wrote each row, and at everything pending on its first run). Runs never
 * overlap, and shutdown waits for the current one. The first run, and one an hour after that,
 * also purges the history past MOSENERGOSBYT_RETENTION_DAYS.
 */
@Injectable()
export class ReleaseParkedScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReleaseParkedScheduler.name);
  private readonly task: RepeatingTask;
  private nextPurgeAt = 0;

  constructor(
    private readonly release: ReleaseParkedReadingsUseCase,
    private readonly outbound: PublishOutboundReadingsUseCase,
    private readonly purge: PurgePartnerHistoryUseCase,
    @Inject(FEED_ENV) private readonly env: FeedEnv,
  ) {
    this.task = new RepeatingTask(
      () => this.run(),
      (error) =>
        this.logger.error({ msg: 'releasing parked readings failed', error: error.message }),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start(this.env.MOSENERGOSBYT_RELEASE_INTERVAL_MS, true);
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  private async run(): Promise<void> {
    try {
      const released = await this.release.execute();
      if (released > 0) this.logger.log({ msg: 'released parked partner readings', released });
    } catch (error) {
      this.failed('releasing parked partner readings failed; retried on the next run', error);
    }
    try {
      const sent = await this.outbound.releasePending();
      if (sent > 0) this.logger.log({ msg: 'sent pending readings to the partner', sent });
    } catch (error) {
      this.failed('sending pending readings to the partner failed; retried on the next run', error);
    }
    if (Date.now() >= this.nextPurgeAt) await this.purgeHistory();
  }

  /** A run that failed is tried again on the next: an outage is a warning, anything else an error. */
  private failed(msg: string, error: unknown): void {
    logRetriedFailure(
      this.logger,
      { msg, error: (error as Error).message },
      error,
      isDatabaseUnavailable,
    );
  }

  private async purgeHistory(): Promise<void> {
    try {
      const purged = await this.purge.execute();
      this.nextPurgeAt = Date.now() + PURGE_EVERY_MS;
      if (purged.parked + purged.messages + purged.outbound + purged.pending > 0)
        this.logger.log({ msg: 'purged partner feed history', ...purged });
    } catch (error) {
      this.failed('purging partner feed history failed; retried on the next run', error);
    }
  }
}
