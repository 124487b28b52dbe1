import { PortEnv, StrictBoolean } from '@gw/platform';
import { TOPICS } from '@gw/contracts';
import { FetchBytesSetting, GroupIdSetting, TopicSetting, WithConsumerTuning } from '@gw/messaging';
import { BillingJobsEnv } from '@gw/runtime';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

/**
 * The consumer's settings (PROCESSOR_SESSION_TIMEOUT_MS and the rest of `ConsumerTuning`), and the
 * billing jobs the processor schedules: reminders, estimates and the relay of their messages.
 */
export class ProcessorEnv extends WithConsumerTuning(BillingJobsEnv, 'PROCESSOR') {
  @PortEnv()
  READING_PROCESSOR_PORT: number = 3006;

  @IsString()
  @GroupIdSetting('PROCESSOR_GROUP_ID')
  PROCESSOR_GROUP_ID: string = 'reading-processor';

  /** The topic to consume; only benchmarks point it elsewhere. */
  @TopicSetting('PROCESSOR_TOPIC')
  PROCESSOR_TOPIC: string = TOPICS.submitted;

  @IsInt()
  @Min(1)
  @Max(64)
  PROCESSOR_CONCURRENCY: number = 6;

  @FetchBytesSetting()
  PROCESSOR_MAX_BYTES_PER_PARTITION: number = 2 * 1024 * 1024;

  @StrictBoolean('PROCESSOR_FROM_BEGINNING')
  PROCESSOR_FROM_BEGINNING: boolean = true;

  /** Whether the processor decides the day's verification reminders (each instance may; each reminder goes once). */
  @StrictBoolean('REMINDERS_ENABLED')
  REMINDERS_ENABLED: boolean = true;

  /** Moscow time of day (HH:MM) from which the day's reminders are decided. */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'REMINDERS_AT must be a time of day HH:MM' })
  REMINDERS_AT: string = '09:00';

  /** Whether the processor estimates each billing period once its windows have closed. */
  @StrictBoolean('ESTIMATES_SCHEDULE_ENABLED')
  ESTIMATES_SCHEDULE_ENABLED: boolean = false;

  /**
   * How often the jobs are checked and pending reminders and estimates relayed to Kafka. At most
   * an hour: a timer longer than Node's (about 24.8 days) would fire every millisecond.
   */
  @IsInt()
  @Min(100)
  @Max(3600000)
  BILLING_JOBS_INTERVAL_MS: number = 5000;
}

export const PROCESSOR_ENV = Symbol('PROCESSOR_ENV');
