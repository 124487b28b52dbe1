import { TOPICS } from '@gw/contracts';
import { TopicSetting } from '@gw/messaging';
import { BaseEnv, HttpUrlSetting, PortEnv } from '@gw/platform';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class SlipIngestEnv extends BaseEnv {
  @PortEnv()
  SLIP_INGEST_PORT: number = 3004;

  /** The topic submissions go to; only volume tests and benchmarks point it elsewhere. */
  @TopicSetting('SLIP_INGEST_TOPIC')
  SLIP_INGEST_TOPIC: string = TOPICS.submitted;

  /** Rows one batch file may hold (contract section 7.4). */
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  SLIP_MAX_ROWS: number = 200_000;

  /** Rows handled together: one Kafka publish and one database statement per chunk. */
  @IsInt()
  @Min(1)
  @Max(20_000)
  SLIP_CHUNK_ROWS: number = 1000;

  /** A progress log line every this many rows. */
  @IsInt()
  @Min(1)
  SLIP_PROGRESS_EVERY_ROWS: number = 20_000;

  /**
   * Uploads one instance takes at once; a further one is refused with 503 and Retry-After. Each
   * holds a chunk of rows and up to two images in memory for as long as its body takes to arrive.
   */
  @IsInt()
  @Min(1)
  @Max(1000)
  SLIP_MAX_UPLOADS: number = 8;

  /** An upload that has written nothing for this long no longer blocks a new upload of its batch. */
  @IsInt()
  @Min(5)
  @Max(3600)
  SLIP_UPLOAD_LEASE_SECONDS: number = 60;

  /** How long one upload may take to arrive: large files over slow links need minutes. */
  @IsInt()
  @Min(10)
  @Max(86_400)
  SLIP_UPLOAD_TIMEOUT_SECONDS: number = 1800;

  /** The largest scanned slip image accepted with a batch; a larger one is refused with 413. */
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  SLIP_IMAGE_MAX_BYTES: number = 5 * 1024 * 1024;

  /** Days a slip image is kept after it arrived; the purge deletes older ones every hour. */
  @IsInt()
  @Min(1)
  @Max(3650)
  SLIP_IMAGE_RETENTION_DAYS: number = 400;

  /**
   * The scanning centre's image store: after a batch completes, the images its rows name by
   * image_ref and the upload did not carry are fetched from here (the ref appended to this URL).
   * Unset: images come only with the batch.
   */
  @IsOptional()
  @HttpUrlSetting('SLIP_IMAGE_STORE_URL')
  SLIP_IMAGE_STORE_URL?: string;

  /** How long one image may take to come from the store. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  SLIP_IMAGE_STORE_TIMEOUT_MS: number = 10_000;
}

export interface SlipIngestOptions {
  topic: string;
  maxRows: number;
  chunkRows: number;
  progressEveryRows: number;
  maxUploads: number;
  leaseSeconds: number;
  maxImageBytes: number;
  imageRetentionDays: number;
  imageStoreUrl: string | null;
  imageStoreTimeoutMs: number;
}

export const SLIP_INGEST_OPTIONS = Symbol('SLIP_INGEST_OPTIONS');

export function slipIngestOptions(env: SlipIngestEnv): SlipIngestOptions {
  return {
    topic: env.SLIP_INGEST_TOPIC,
    maxRows: env.SLIP_MAX_ROWS,
    chunkRows: env.SLIP_CHUNK_ROWS,
    progressEveryRows: env.SLIP_PROGRESS_EVERY_ROWS,
    maxUploads: env.SLIP_MAX_UPLOADS,
    leaseSeconds: env.SLIP_UPLOAD_LEASE_SECONDS,
    maxImageBytes: env.SLIP_IMAGE_MAX_BYTES,
    imageRetentionDays: env.SLIP_IMAGE_RETENTION_DAYS,
    imageStoreUrl: env.SLIP_IMAGE_STORE_URL ?? null,
    imageStoreTimeoutMs: env.SLIP_IMAGE_STORE_TIMEOUT_MS,
  };
}
