import { TOPICS } from '@gw/contracts';
import { TopicSetting } from '@gw/messaging';
import { BaseEnv, DEVELOPMENT_SECRETS, PortEnv, SecretBoxKey } from '@gw/platform';
import { IsInt, IsNumber, Max, Min } from 'class-validator';

export class KioskEnv extends BaseEnv {
  @PortEnv()
  KIOSK_GATEWAY_PORT: number = 3001;

  /** Opens the kiosks' sealed secrets; the key `ctl kiosk add` seals them with. */
  @SecretBoxKey({ development: DEVELOPMENT_SECRETS.KIOSK_SECRET_KEY, required: true })
  KIOSK_SECRET_KEY!: string;

  /** During a rotation, the key before KIOSK_SECRET_KEY: what it sealed still opens. */
  @SecretBoxKey({ required: false })
  KIOSK_SECRET_KEY_PREVIOUS?: string;

  /** Sustained requests per second one kiosk may make (per gateway instance). */
  @IsNumber()
  @Min(0.01)
  KIOSK_RATE_LIMIT_PER_SECOND: number = 5;

  /** Requests a kiosk may make at once after being idle. */
  @IsInt()
  @Min(1)
  KIOSK_RATE_LIMIT_BURST: number = 20;

  /**
   * Worker threads that parse, validate, encode and publish batches (0: on the event loop). The
   * event loop is then left with HTTP, signatures and nonces, about half a core at full load; on
   * a 2-core host, 2 workers gave 31% more than 1 and 9% more than 3 (docs/benchmarks.md).
   */
  @IsInt()
  @Min(0)
  @Max(64)
  KIOSK_WORKER_THREADS: number = 2;

  /**
   * Each worker's young generation, in MiB (V8's own default is 48). A worker allocates fast
   * (parsed JSON, canonical messages, kafkajs buffers); a larger young generation is collected
   * less often, and most of what it holds is dead by then.
   */
  @IsInt()
  @Min(8)
  KIOSK_WORKER_YOUNG_GENERATION_MB: number = 192;

  /** The topic readings are published to; only benchmarks point it elsewhere. */
  @TopicSetting('KIOSK_SUBMISSION_TOPIC')
  KIOSK_SUBMISSION_TOPIC: string = TOPICS.submitted;
}

export const KIOSK_ENV = Symbol('KIOSK_ENV');

/** The app's name in logs, and its Kafka client id. */
export const KIOSK_GATEWAY = 'kiosk-gateway';
