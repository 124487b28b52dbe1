import {
  DEFAULT_DAILY_CEILINGS,
  DEFAULT_WINDOW_POLICY,
  type ReadingPolicy,
  type WindowPolicy,
} from '@gw/domain';
import { BaseEnv, JsonObjectEnv } from '@gw/platform';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

export class BackofficeEnv extends BaseEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  BACKOFFICE_API_PORT: number = 3005;

  /**
   * HMAC key of operator tokens. When unset, a random key is generated at boot (with a warning):
   * tokens then die with the process and are not shared between replicas.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'BACKOFFICE_TOKEN_SECRET must be at least 32 characters' })
  BACKOFFICE_TOKEN_SECRET?: string;

  /** Lifetime of an operator token: one working shift by default. */
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  BACKOFFICE_TOKEN_TTL_SECONDS: number = 8 * 3600;

  /** Failed logins in a row after which a login is locked for BACKOFFICE_LOGIN_LOCKOUT_SECONDS. */
  @IsInt()
  @Min(1)
  @Max(1000)
  BACKOFFICE_LOGIN_MAX_FAILURES: number = 5;

  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  BACKOFFICE_LOGIN_LOCKOUT_SECONDS: number = 15 * 60;

  /** How long a claimed review item stays with its operator unless decided or released. */
  @IsInt()
  @Min(10)
  @Max(24 * 3600)
  BACKOFFICE_CLAIM_TTL_SECONDS: number = 15 * 60;

  /** How often outcomes still in the outbox (Kafka was down at decision time) are retried. */
  @IsInt()
  @Min(100)
  @Max(10 * 60 * 1000)
  BACKOFFICE_OUTBOX_INTERVAL_MS: number = 5000;

  /** The `x-decided-by` header of the outcomes operators' decisions emit. */
  @Matches(/^[\x21-\x7e]{1,128}$/, {
    message: 'BACKOFFICE_DECIDED_BY must be 1 to 128 printable characters',
  })
  BACKOFFICE_DECIDED_BY: string = 'backoffice-api';

  /** Mark the web UI's session cookie `Secure`: set it when the UI is served over HTTPS. */
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  BACKOFFICE_COOKIE_SECURE: boolean = false;

  // The reading rules' settings, read under the same names as the reading-processor's so that one
  // environment configures both: an approval re-validates exactly as the processor validates.
  @IsNumber()
  @Min(0)
  @Max(1)
  CONFIDENCE_THRESHOLD: number = 0.9;

  @JsonObjectEnv(
    'SUBMISSION_WINDOW_OVERRIDES must be a JSON object of period -> resource|* -> {openDay, closeDay}',
  )
  SUBMISSION_WINDOW_OVERRIDES: WindowPolicy['overrides'] = {};

  @JsonObjectEnv('DAILY_CEILINGS must be a JSON object of resource -> number')
  DAILY_CEILINGS: Partial<ReadingPolicy['ceilings']> = {};
}

/** The rules an approval or a revalidation decides by: the processor's, from the same settings. */
export function readingPolicy(env: BackofficeEnv): ReadingPolicy {
  return {
    window: { ...DEFAULT_WINDOW_POLICY, overrides: env.SUBMISSION_WINDOW_OVERRIDES },
    ceilings: { ...DEFAULT_DAILY_CEILINGS, ...env.DAILY_CEILINGS },
    confidenceThreshold: env.CONFIDENCE_THRESHOLD,
    futureToleranceMs: 5 * 60 * 1000,
    maxAgeMonths: 3,
  };
}

/** The validated configuration, for providers that need more than their constructor arguments. */
export const BACKOFFICE_ENV = Symbol('BACKOFFICE_ENV');

export const READING_POLICY = Symbol('READING_POLICY');
