import { TOPICS } from '@gw/contracts';
import { BaseEnv, IsSecretBoxKey, PortEnv } from '@gw/platform';
import { IsInt, IsNumber, IsString, Min } from 'class-validator';

export class KioskEnv extends BaseEnv {
  @PortEnv()
  KIOSK_GATEWAY_PORT: number = 3001;

  /** Opens the kiosks' sealed secrets; must be the key `ctl kiosk add` sealed them with. */
  @IsSecretBoxKey()
  KIOSK_SECRET_KEY?: string;

  /** Sustained requests per second one kiosk may make (per gateway instance). */
  @IsNumber()
  @Min(0.01)
  KIOSK_RATE_LIMIT_PER_SECOND: number = 5;

  /** Requests a kiosk may make at once after being idle. */
  @IsInt()
  @Min(1)
  KIOSK_RATE_LIMIT_BURST: number = 20;

  /**
   * Worker threads that parse, validate and encode batches (0: on the event loop). One per core
   * beyond the first suits a host of its own; the default suits a small shared one.
   */
  @IsInt()
  @Min(0)
  KIOSK_WORKER_THREADS: number = 1;

  /** The topic readings are published to; only benchmarks point it elsewhere. */
  @IsString()
  KIOSK_SUBMISSION_TOPIC: string = TOPICS.submitted;
}

export const KIOSK_ENV = Symbol('KIOSK_ENV');
