import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DAY_MS } from '@gw/domain';
import { counter } from '@gw/platform';
import { SlipImageRepository } from './persistence/slip-image.repository';
import { SLIP_INGEST_OPTIONS, type SlipIngestOptions } from './slip-ingest.env';

const PURGE_EVERY_MS = 3600 * 1000;
const PURGE_CHUNK = 500;

const imagesPurged = counter(
  'slip_images_purged_total',
  'Scanned slip images deleted after SLIP_IMAGE_RETENTION_DAYS',
);

/**
 * Deletes slip images older than SLIP_IMAGE_RETENTION_DAYS, at boot and every hour. Several
 * instances may run it at once: each deletes rows the others have not locked.
 */
@Injectable()
export class SlipImagePurgeJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SlipImagePurgeJob.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly images: SlipImageRepository,
    @Inject(SLIP_INGEST_OPTIONS) private readonly options: SlipIngestOptions,
  ) {}

  onApplicationBootstrap(): void {
    const run = () =>
      void this.purge().catch((error: Error) =>
        this.logger.warn({ msg: 'slip image purge failed', error: error.message }),
      );
    this.timer = setInterval(run, PURGE_EVERY_MS).unref();
    run();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Deletes every image received before the retention period; returns how many. */
  async purge(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.options.imageRetentionDays * DAY_MS);
    let total = 0;
    for (;;) {
      const deleted = await this.images.deleteReceivedBefore(cutoff, PURGE_CHUNK);
      total += deleted;
      if (deleted < PURGE_CHUNK) break;
    }
    imagesPurged.inc(total);
    if (total > 0) this.logger.log({ msg: 'slip images purged', deleted: total, before: cutoff });
    return total;
  }
}
