import {
  DEVELOPMENT_SECRETS,
  IntSetting,
  NotAbove,
  PortEnv,
  StrictBoolean,
  TokenSecret,
} from '@gw/platform';
import { ArshinEnv } from '@gw/runtime';
import { IsInt, Matches, Max, Min } from 'class-validator';

export class BackofficeEnv extends ArshinEnv {
  /**
   * Every this many minutes the back office asks ФГИС «Аршин» about the meters that are expired or
   * fall due within ARSHIN_SYNC_DUE_WITHIN_DAYS, as `ctl verifications sync` does. 0 (the default):
   * never; run it from a scheduler with the command line, or turn it on in one replica only.
   */
  @IntSetting(0, 7 * 24 * 60)
  ARSHIN_SYNC_INTERVAL_MINUTES: number = 0;

  @IntSetting(0, 9999)
  ARSHIN_SYNC_DUE_WITHIN_DAYS: number = 30;

  @PortEnv()
  BACKOFFICE_API_PORT: number = 3005;

  /** HMAC key of operator tokens (API and web UI); every instance needs the same one. */
  @TokenSecret({ development: DEVELOPMENT_SECRETS.BACKOFFICE_TOKEN_SECRET, required: true })
  BACKOFFICE_TOKEN_SECRET!: string;

  /** During a rotation, the key before BACKOFFICE_TOKEN_SECRET: tokens it signed still hold. */
  @TokenSecret({ required: false })
  BACKOFFICE_TOKEN_SECRET_PREVIOUS?: string;

  /** Lifetime of an operator token: one working shift by default. */
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  BACKOFFICE_TOKEN_TTL_SECONDS: number = 8 * 3600;

  /**
   * Login attempts per (login, client IP) that go through at once; each further one in the window
   * must wait BACKOFFICE_LOGIN_BASE_DELAY_SECONDS after the previous, doubling every time, up to
   * BACKOFFICE_LOGIN_MAX_DELAY_SECONDS. A successful login ends the run.
   */
  @IsInt()
  @Min(1)
  @Max(1000)
  BACKOFFICE_LOGIN_FREE_ATTEMPTS: number = 5;

  @IsInt()
  @Min(1)
  @Max(3600)
  @NotAbove('BACKOFFICE_LOGIN_MAX_DELAY_SECONDS')
  BACKOFFICE_LOGIN_BASE_DELAY_SECONDS: number = 2;

  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  BACKOFFICE_LOGIN_MAX_DELAY_SECONDS: number = 15 * 60;

  @IsInt()
  @Min(1)
  @Max(24 * 60)
  BACKOFFICE_LOGIN_WINDOW_MINUTES: number = 60;

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

  /**
   * The web UI's session cookie is `Secure` and named with the `__Host-` prefix, so the UI must be
   * served over HTTPS. `false` only for plain-HTTP local development (`npm start`, the tests): the
   * cookie is then neither. Anything but `true` or `false` is refused, so a typo cannot turn it off.
   */
  @StrictBoolean('BACKOFFICE_COOKIE_SECURE')
  BACKOFFICE_COOKIE_SECURE: boolean = true;
}

/** The validated configuration, for providers that need more than their constructor arguments. */
export const BACKOFFICE_ENV = Symbol('BACKOFFICE_ENV');
