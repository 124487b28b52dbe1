import { TOPICS } from '@gw/contracts';
import {
  DEFAULT_DAILY_CEILINGS,
  DEFAULT_WINDOW_POLICY,
  type ReadingPolicy,
  type WindowPolicy,
} from '@gw/domain';
import { BaseEnv, JsonObjectEnv } from '@gw/platform';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsString, Max, Min } from 'class-validator';

export class ProcessorEnv extends BaseEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
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

  @IsNumber()
  @Min(0)
  @Max(1)
  CONFIDENCE_THRESHOLD: number = 0.9;

  /** JSON, e.g. {"2026-12":{"*":{"openDay":1,"closeDay":12}}}. */
  @JsonObjectEnv(
    'SUBMISSION_WINDOW_OVERRIDES must be a JSON object of period -> resource|* -> {openDay, closeDay}',
  )
  SUBMISSION_WINDOW_OVERRIDES: WindowPolicy['overrides'] = {};

  /** JSON, e.g. {"cold_water":3,"electricity":100}: daily ceilings per resource. */
  @JsonObjectEnv('DAILY_CEILINGS must be a JSON object of resource -> number')
  DAILY_CEILINGS: Partial<ReadingPolicy['ceilings']> = {};
}

export function readingPolicy(env: ProcessorEnv): ReadingPolicy {
  return {
    window: { ...DEFAULT_WINDOW_POLICY, overrides: env.SUBMISSION_WINDOW_OVERRIDES },
    ceilings: { ...DEFAULT_DAILY_CEILINGS, ...env.DAILY_CEILINGS },
    confidenceThreshold: env.CONFIDENCE_THRESHOLD,
    futureToleranceMs: 5 * 60 * 1000,
    maxAgeMonths: 3,
  };
}

export const PROCESSOR_ENV = Symbol('PROCESSOR_ENV');
export const READING_POLICY = Symbol('READING_POLICY');
