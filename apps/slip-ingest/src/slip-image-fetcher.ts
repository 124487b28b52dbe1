import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { counter, Slots } from '@gw/platform';
import { SlipImageRepository } from './persistence/slip-image.repository';
import { SaveSlipImageUseCase } from './save-slip-image.use-case';
import { SlipImageStoreClient } from './slip-image-store.client';

/**
 * Refs read from the database at a time, and images fetched at once by the instance, whatever the
 * number of batches fetching: each image fetched is held in memory until it is stored.
 */
const PAGE = 200;
const CONCURRENCY = 4;
/** Failures logged one by one per batch; the rest are counted. */
const LOGGED_FAILURES = 10;

const fetches = counter('slip_image_fetches_total', 'Slip images fetched from the image store', [
  'result',
]);

export interface SlipImageFetchResult {
  fetched: number;
  failed: number;
}

/**
 * Takes from the scanning centre's store (SLIP_IMAGE_STORE_URL) the images a completed batch
 * names by image_ref but did not carry. It runs after the answer, so a large batch is not held up
 * by its images; an image that cannot be had is logged and counted, and its row keeps showing the
 * reference. Sending the batch again fetches what is still missing.
 */
@Injectable()
export class SlipImageFetcher implements OnApplicationShutdown {
  private readonly logger = new Logger(SlipImageFetcher.name);
  private readonly running = new Set<Promise<unknown>>();
  private stopping = false;
  /** Fetches of every batch at once. */
  private readonly slots = new Slots(CONCURRENCY);

  constructor(
    private readonly images: SlipImageRepository,
    private readonly store: SlipImageStoreClient,
    private readonly save: SaveSlipImageUseCase,
  ) {}

  /** Starts fetching an upload's missing images in the background, when a store is configured. */
  start(centreId: string, batchId: string, upload: number): void {
    if (!this.store.configured || this.stopping) return;
    const run = this.fetchMissing(centreId, batchId, upload)
      .catch((error: Error) =>
        this.logger.warn({ msg: 'slip image fetch stopped', batchId, error: error.message }),
      )
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  async fetchMissing(
    centreId: string,
    batchId: string,
    upload: number,
  ): Promise<SlipImageFetchResult> {
    const result: SlipImageFetchResult = { fetched: 0, failed: 0 };
    let after = '';
    while (!this.stopping) {
      const refs = await this.images.findMissing(centreId, batchId, upload, after, PAGE);
      if (refs.length === 0) break;
      after = refs[refs.length - 1];
      // A fetch whose turn comes once the instance is stopping is left for the batch's next upload.
      await Promise.all(
        refs.map((ref) =>
          this.slots.run(async () => {
            if (!this.stopping) await this.fetchOne(centreId, batchId, ref, result);
          }),
        ),
      );
    }
    if (result.fetched + result.failed > 0)
      this.logger.log({ msg: 'slip images fetched from the store', centreId, batchId, ...result });
    return result;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running]);
  }

  private async fetchOne(
    centreId: string,
    batchId: string,
    imageRef: string,
    result: SlipImageFetchResult,
  ): Promise<void> {
    try {
      await this.save.execute(centreId, { imageRef, bytes: await this.store.fetch(imageRef) });
      result.fetched += 1;
      fetches.inc({ result: 'fetched' });
    } catch (error) {
      result.failed += 1;
      fetches.inc({ result: 'failed' });
      if (result.failed <= LOGGED_FAILURES)
        this.logger.warn({
          msg: 'slip image not taken from the store',
          centreId,
          batchId,
          imageRef,
          error: (error as Error).message,
        });
    }
  }
}
