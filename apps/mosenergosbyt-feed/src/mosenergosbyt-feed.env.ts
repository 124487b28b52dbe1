import { FetchBytesSetting, GroupIdSetting, WithConsumerTuning } from '@gw/messaging';
import { BaseEnv, PortEnv, StrictBoolean } from '@gw/platform';
import { IsInt, IsString, Max, Min } from 'class-validator';

/** The consumer's settings: MOSENERGOSBYT_SESSION_TIMEOUT_MS and the rest of `ConsumerTuning`. */
export class FeedEnv extends WithConsumerTuning(BaseEnv, 'MOSENERGOSBYT') {
  @PortEnv()
  MOSENERGOSBYT_FEED_PORT: number = 3007;

  /** One group consumes both the partner's readings and our outcomes. */
  @IsString()
  @GroupIdSetting('MOSENERGOSBYT_GROUP_ID')
  MOSENERGOSBYT_GROUP_ID: string = 'mosenergosbyt-feed';

  @IsInt()
  @Min(1)
  @Max(64)
  MOSENERGOSBYT_CONCURRENCY: number = 3;

  @FetchBytesSetting()
  MOSENERGOSBYT_MAX_BYTES_PER_PARTITION: number = 1024 * 1024;

  /** Where a new group starts: from the beginning, so no reading on the topics is missed. */
  @StrictBoolean('MOSENERGOSBYT_FROM_BEGINNING')
  MOSENERGOSBYT_FROM_BEGINNING: boolean = true;

  /**
   * How often parked readings, and our readings pending a mapping, are checked against the
   * cross-reference.
   */
  @IsInt()
  @Min(100)
  @Max(3600000)
  MOSENERGOSBYT_RELEASE_INTERVAL_MS: number = 5000;

  /** Parked readings released, and pending readings of ours sent, per transaction. */
  @IsInt()
  @Min(1)
  @Max(10000)
  MOSENERGOSBYT_RELEASE_BATCH: number = 500;

  /**
   * Released parked readings and the records of readings sent to the partner are deleted once
   * older than this. At least 30 days, well beyond the topics' retention (7 days), so an outcome
   * Kafka can still deliver again always finds its record and is not sent twice.
   */
  @IsInt()
  @Min(30)
  @Max(3650)
  MOSENERGOSBYT_RETENTION_DAYS: number = 90;
}

export const FEED_ENV = Symbol('FEED_ENV');
