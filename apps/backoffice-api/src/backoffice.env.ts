import { BaseEnv } from '@gw/platform';
import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

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
}

/** The validated configuration, for providers that need more than their constructor arguments. */
export const BACKOFFICE_ENV = Symbol('BACKOFFICE_ENV');
