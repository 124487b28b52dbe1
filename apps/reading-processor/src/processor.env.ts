import { PortEnv } from '@gw/platform';
import { TOPICS } from '@gw/contracts';
import { WithConsumerTuning } from '@gw/messaging';
import { ReadingPolicyEnv } from '@gw/runtime';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Max, Min } from 'class-validator';

/** The consumer's settings: PROCESSOR_SESSION_TIMEOUT_MS and the rest of `ConsumerTuning`. */
export class ProcessorEnv extends WithConsumerTuning(ReadingPolicyEnv, 'PROCESSOR') {
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
}

export const PROCESSOR_ENV = Symbol('PROCESSOR_ENV');
