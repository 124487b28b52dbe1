import { applyDecorators } from '@nestjs/common';
import { IntSetting } from '@gw/platform';
import { Type } from 'class-transformer';
import { MinLength } from 'class-validator';

/** How a batch consumer keeps its group membership, retries a failed batch, and stops. */
export interface ConsumerTuning {
  /** The group evicts a member silent this long; a crashed process's partitions wait this long. */
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** First wait before a failed batch is tried again; it doubles up to `retryMaxMs`. */
  retryMinMs: number;
  retryMaxMs: number;
  /** A partition with lag whose committed offset has not moved this long fails readiness. */
  stallSeconds: number;
  /** On close, how long the in-flight batch may take to finish and commit before the consumer leaves anyway. */
  drainTimeoutMs: number;
}

export const CONSUMER_DEFAULTS: ConsumerTuning = {
  sessionTimeoutMs: 10000,
  heartbeatIntervalMs: 1000,
  retryMinMs: 200,
  retryMaxMs: 30000,
  stallSeconds: 60,
  drainTimeoutMs: 15000,
};

// The broker refuses sessions shorter than group.min.session.timeout.ms (6 s by default). The
// heartbeat stays below a third of the shortest session, and the retry floor below its ceiling,
// so no combination of valid settings contradicts itself.
const BOUNDS: Record<keyof ConsumerTuning, [number, number]> = {
  sessionTimeoutMs: [6000, 300000],
  heartbeatIntervalMs: [100, 2000],
  retryMinMs: [10, 5000],
  retryMaxMs: [5000, 600000],
  stallSeconds: [1, 86400],
  drainTimeoutMs: [1000, 120000],
};

/** The name of each setting in an app's env, after the app's prefix (`PROCESSOR_STALL_SECONDS`). */
const ENV_NAMES = {
  sessionTimeoutMs: 'SESSION_TIMEOUT_MS',
  heartbeatIntervalMs: 'HEARTBEAT_INTERVAL_MS',
  retryMinMs: 'RETRY_MIN_MS',
  retryMaxMs: 'RETRY_MAX_MS',
  stallSeconds: 'STALL_SECONDS',
  drainTimeoutMs: 'DRAIN_TIMEOUT_MS',
} as const satisfies Record<keyof ConsumerTuning, string>;

/** An app env that declares every consumer setting under `prefix`. */
export type ConsumerTuningEnv<P extends string> = {
  [K in keyof ConsumerTuning as `${P}_${(typeof ENV_NAMES)[K]}`]: number;
};

/** The consumer settings an app's env declares under `prefix`. */
export function consumerTuningOf<P extends string>(
  env: ConsumerTuningEnv<P>,
  prefix: P,
): ConsumerTuning {
  const values = env as unknown as Record<string, number>;
  const entries = Object.entries(ENV_NAMES).map(([key, name]) => [
    key,
    values[`${prefix}_${name}`],
  ]);
  return Object.fromEntries(entries) as ConsumerTuning;
}

/** Validates one consumer setting of an app's env with the bounds every consumer shares. */
export function ConsumerSetting(name: keyof ConsumerTuning): PropertyDecorator {
  const [min, max] = BOUNDS[name];
  return IntSetting(min, max);
}

/**
 * `Base` with every consumer setting declared under `prefix` (`PROCESSOR_STALL_SECONDS`),
 * defaulting to `CONSUMER_DEFAULTS` and validated by `ConsumerSetting`.
 */
export function WithConsumerTuning<T extends object, P extends string>(
  Base: new () => T,
  prefix: P,
): new () => T & ConsumerTuningEnv<P> {
  const settings = (Object.keys(ENV_NAMES) as (keyof ConsumerTuning)[]).map(
    (key) => [key, `${prefix}_${ENV_NAMES[key]}`] as const,
  );
  class Tuned extends (Base as new () => object) {
    constructor() {
      super();
      for (const [key, name] of settings) Object.assign(this, { [name]: CONSUMER_DEFAULTS[key] });
    }
  }
  // Declared here, the settings have no design type for implicit conversion: Type gives it.
  for (const [key, name] of settings)
    applyDecorators(
      Type(() => Number),
      ConsumerSetting(key),
    )(Tuned.prototype, name);
  return Tuned as new () => T & ConsumerTuningEnv<P>;
}

/** A consumer group id: kafkajs refuses an empty one only when the consumer starts, again and again. */
export function GroupIdSetting(name: string): PropertyDecorator {
  return MinLength(1, { message: `${name} must not be empty` });
}

/**
 * A consumer's fetch size per partition, in bytes: 64 KiB to 64 MiB. A fetch asks for at most four
 * times it over all partitions, and Kafka takes that limit in a 32-bit field.
 */
export function FetchBytesSetting(): PropertyDecorator {
  return IntSetting(64 * 1024, 64 * 1024 * 1024);
}

/** The wait before retry number `attempt` (1-based): doubling from `retryMinMs`, capped at `retryMaxMs`. */
export function retryDelayMs(
  attempt: number,
  { retryMinMs, retryMaxMs }: Pick<ConsumerTuning, 'retryMinMs' | 'retryMaxMs'>,
): number {
  return Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(attempt - 1, 30));
}
