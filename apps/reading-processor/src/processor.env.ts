import { PortEnv } from '@gw/platform';
import { TOPICS } from '@gw/contracts';
import { CONSUMER_DEFAULTS, ConsumerSetting } from '@gw/messaging';
import { ReadingPolicyEnv } from '@gw/runtime';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Max, Min } from 'class-validator';

export class ProcessorEnv extends ReadingPolicyEnv {
  @PortEnv()
  READING_PROCESSOR_PORT: number = 3006;

  @IsString()
  PROCESSOR_GROUP_ID: string = 'reading-processor';

  /** The topic to consume; only benchmarks point it elsewhere. */
  @IsString()
  PROCESSOR_TOPIC: string = TOPICS.submitted;

  @IsInt()
  @Min(1)
  @Max(64)
  PROCESSOR_CONCURRENCY: number = 6;

  @IsInt()
  @Min(65536)
  PROCESSOR_MAX_BYTES_PER_PARTITION: number = 2 * 1024 * 1024;

  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  PROCESSOR_FROM_BEGINNING: boolean = true;

  @IsInt()
  @Min(1)
  @Max(256)
  SUBMISSION_PARTITIONS: number = 6;

  /** How long the group waits for a silent processor (one killed) before its partitions move. */
  @ConsumerSetting('sessionTimeoutMs')
  PROCESSOR_SESSION_TIMEOUT_MS: number = CONSUMER_DEFAULTS.sessionTimeoutMs;

  @ConsumerSetting('heartbeatIntervalMs')
  PROCESSOR_HEARTBEAT_INTERVAL_MS: number = CONSUMER_DEFAULTS.heartbeatIntervalMs;

  /** A failed batch is tried again after this, doubling up to PROCESSOR_RETRY_MAX_MS. */
  @ConsumerSetting('retryMinMs')
  PROCESSOR_RETRY_MIN_MS: number = CONSUMER_DEFAULTS.retryMinMs;

  @ConsumerSetting('retryMaxMs')
  PROCESSOR_RETRY_MAX_MS: number = CONSUMER_DEFAULTS.retryMaxMs;

  /** A partition with lag whose committed offset has not moved this long fails readiness. */
  @ConsumerSetting('stallSeconds')
  PROCESSOR_STALL_SECONDS: number = CONSUMER_DEFAULTS.stallSeconds;

  /** On shutdown, how long the batch in hand may take to finish and commit. */
  @ConsumerSetting('drainTimeoutMs')
  PROCESSOR_DRAIN_TIMEOUT_MS: number = CONSUMER_DEFAULTS.drainTimeoutMs;
}

export const PROCESSOR_ENV = Symbol('PROCESSOR_ENV');
