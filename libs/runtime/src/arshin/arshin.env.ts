import { HttpUrlSetting, IntSetting } from '@gw/platform';
import { ReadingPolicyEnv } from '../reading-policy.env';
import type { ArshinSettings } from './arshin.client';

/** The Arshin settings an env declares (see `WithArshin`). */
export interface ArshinEnvSettings {
  ARSHIN_URL: string;
  ARSHIN_MIN_INTERVAL_MS: number;
  ARSHIN_TIMEOUT_MS: number;
  ARSHIN_MAX_ATTEMPTS: number;
  ARSHIN_BACKOFF_MS: number;
  ARSHIN_CIRCUIT_FAILURES: number;
  ARSHIN_CIRCUIT_OPEN_MS: number;
  ARSHIN_RECHECK_DAYS: number;
}

/**
 * `Base` with the settings of how the gateway calls ФГИС «Аршин» (contract section 8). The service
 * blocks clients that call more often than about once a second, so the defaults stay well below
 * that.
 */
export function WithArshin<T extends object>(Base: new () => T): new () => T & ArshinEnvSettings {
  class Arshin extends (Base as new () => object) implements ArshinEnvSettings {
    /** The public interface's base URL; `/vri` is appended. */
    @HttpUrlSetting('ARSHIN_URL')
    ARSHIN_URL: string = 'https://fgis.gost.ru/fundmetrology/eapi';

    /** At least this long between two requests of one process. */
    @IntSetting(1000, 60000)
    ARSHIN_MIN_INTERVAL_MS: number = 1500;

    /** One request, from sending it to the end of its answer. */
    @IntSetting(1000, 120000)
    ARSHIN_TIMEOUT_MS: number = 20000;

    /** Tries of one lookup when Arshin answers 429 or 5xx or does not answer (1 = no retry). */
    @IntSetting(1, 10)
    ARSHIN_MAX_ATTEMPTS: number = 3;

    /** First wait after a 429 or 5xx; each further one doubles (a Retry-After header wins). */
    @IntSetting(100, 600000)
    ARSHIN_BACKOFF_MS: number = 5000;

    /** Lookups that failed in a row before the circuit opens and no request is sent. */
    @IntSetting(1, 100)
    ARSHIN_CIRCUIT_FAILURES: number = 3;

    /** How long the circuit stays open before one trial request. */
    @IntSetting(1000, 24 * 3600 * 1000)
    ARSHIN_CIRCUIT_OPEN_MS: number = 5 * 60 * 1000;

    /**
     * A sync of the due meters asks about a meter Arshin already answered about only after this
     * many days (0: at every sync), or once its type number changed.
     */
    @IntSetting(0, 365)
    ARSHIN_RECHECK_DAYS: number = 7;
  }
  return Arshin as new () => T & ArshinEnvSettings;
}

/** The reading rules' settings and Arshin's, for the apps that revalidate after a lookup. */
export class ArshinEnv extends WithArshin(ReadingPolicyEnv) {}

export function arshinSettings(env: ArshinEnvSettings): ArshinSettings {
  return {
    url: env.ARSHIN_URL,
    minIntervalMs: env.ARSHIN_MIN_INTERVAL_MS,
    timeoutMs: env.ARSHIN_TIMEOUT_MS,
    maxAttempts: env.ARSHIN_MAX_ATTEMPTS,
    backoffMs: env.ARSHIN_BACKOFF_MS,
    circuitFailures: env.ARSHIN_CIRCUIT_FAILURES,
    circuitOpenMs: env.ARSHIN_CIRCUIT_OPEN_MS,
  };
}
