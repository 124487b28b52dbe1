import { Inject, Injectable } from '@nestjs/common';
import { slipImageUrl } from '@gw/domain';
import { slipImageTooLarge } from './slip-batch.errors';
import { SLIP_INGEST_OPTIONS, type SlipIngestOptions } from './slip-ingest.env';

/** Why an image could not be taken from the store; logged, never answered to the centre. */
export class SlipImageStoreError extends Error {}

/** The scanning centre's image store (SLIP_IMAGE_STORE_URL), read over HTTP(S). */
@Injectable()
export class SlipImageStoreClient {
  constructor(@Inject(SLIP_INGEST_OPTIONS) private readonly options: SlipIngestOptions) {}

  get configured(): boolean {
    return this.options.imageStoreUrl !== null;
  }

  /**
   * The bytes the store keeps under `imageRef`, read no further than SLIP_IMAGE_MAX_BYTES. No
   * redirect is followed: the store answers for its own URLs or not at all.
   */
  async fetch(imageRef: string): Promise<Buffer> {
    const { imageStoreUrl, imageStoreTimeoutMs, maxImageBytes } = this.options;
    const url = imageStoreUrl && slipImageUrl(imageStoreUrl, imageRef);
    if (!url) throw new SlipImageStoreError(`image_ref ${imageRef} names no path under the store`);
    let res: Response;
    try {
      res = await fetch(url, {
        redirect: 'error',
        signal: AbortSignal.timeout(imageStoreTimeoutMs),
      });
    } catch (error) {
      throw new SlipImageStoreError(`the store did not answer: ${(error as Error).message}`);
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new SlipImageStoreError(`the store answered ${res.status} for ${imageRef}`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += chunk.length;
      if (size > maxImageBytes) {
        await res.body.cancel().catch(() => undefined);
        throw slipImageTooLarge(imageRef, maxImageBytes);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }
}
