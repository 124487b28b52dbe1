import { CommaList, DEVELOPMENT_SECRETS, PortEnv, StrictBoolean, TokenSecret } from '@gw/platform';
import { ReadingPolicyEnv } from '@gw/runtime';
import { IsInt, Max, Min, ValidateBy } from 'class-validator';
import addressparser from 'nodemailer/lib/addressparser';

/** One mailbox, bare or with a display name: `"Кабинет" <no-reply@lk.example.ru>`. */
function isMailbox(value: unknown): boolean {
  if (typeof value !== 'string' || /[\r\n]/.test(value)) return false;
  const parsed = addressparser(value);
  const address = parsed.length === 1 && 'address' in parsed[0] ? parsed[0].address : undefined;
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address ?? '');
}

/** An origin as a browser sends it: scheme, host and port, nothing after them. */
function isWebOrigin(value: unknown): boolean {
  try {
    const url = new URL(String(value));
    return ['http:', 'https:'].includes(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * An SMTP server's URL as nodemailer reads it without throwing: `smtp://` or `smtps://`, a host
 * name (a container's, `_` included) or an IP address (IPv6 in brackets), a port from 1 to 65535
 * when given. What nodemailer cannot parse it throws on when the mailer is made, quoting the URL
 * and its password whole.
 */
function isSmtpUrl(value: unknown): boolean {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    return false;
  }
  return (
    ['smtp:', 'smtps:'].includes(url.protocol) &&
    /^([A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])$/.test(url.hostname) &&
    url.port !== '0'
  );
}

/** Extends the reading rules' settings so the meters page shows the windows the processor applies. */
export class CabinetEnv extends ReadingPolicyEnv {
  @PortEnv()
  CABINET_API_PORT: number = 3003;

  /** Where one-time codes are sent; `npm start` points it at its local mail catcher. */
  @ValidateBy({
    name: 'smtpUrl',
    validator: {
      validate: isSmtpUrl,
      defaultMessage: () =>
        'SMTP_URL must be an smtp:// or smtps:// URL naming a host, with a port from 1 to 65535 when given',
    },
  })
  SMTP_URL: string = 'smtp://127.0.0.1:1025';

  @ValidateBy({
    name: 'mailbox',
    validator: {
      validate: isMailbox,
      defaultMessage: () =>
        'CABINET_MAIL_FROM must be one address, as no-reply@lk.example.ru or "Кабинет" <no-reply@lk.example.ru>',
    },
  })
  CABINET_MAIL_FROM: string = '"Личный кабинет" <no-reply@cabinet.localhost>';

  /** Key of session tokens, code hashes and rate-limit keys; every instance needs the same one. */
  @TokenSecret({ development: DEVELOPMENT_SECRETS.CABINET_SECRET, required: true })
  CABINET_SECRET!: string;

  /** During a rotation, the secret before CABINET_SECRET: session tokens it signed still hold. */
  @TokenSecret({ required: false })
  CABINET_SECRET_PREVIOUS?: string;

  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  CABINET_SESSION_TTL_SECONDS: number = 12 * 3600;

  /**
   * Payment-document checks allowed per account, and per client IP, in the window. Every check
   * counts, a matching one included, because it is counted before the comparison.
   */
  @IsInt()
  @Min(1)
  CABINET_CHECK_FAILURES_PER_ACCOUNT: number = 5;

  @IsInt()
  @Min(1)
  CABINET_CHECK_FAILURES_PER_IP: number = 20;

  /** Payment-document checks one signed-in resident may make in the window to link accounts. */
  @IsInt()
  @Min(1)
  CABINET_LINK_CHECKS_PER_RESIDENT: number = 10;

  @IsInt()
  @Min(1)
  @Max(24 * 60)
  CABINET_CHECK_WINDOW_MINUTES: number = 60;

  /** Codes e-mailed to one address: at most this many an hour, at least this far apart. */
  @IsInt()
  @Min(1)
  CABINET_CODES_PER_HOUR: number = 5;

  @IsInt()
  @Min(1)
  @Max(3600)
  CABINET_CODE_RESEND_SECONDS: number = 60;

  /** Codes e-mailed at the request of one client IP an hour, and by the whole service a day. */
  @IsInt()
  @Min(1)
  CABINET_CODES_PER_IP_PER_HOUR: number = 20;

  @IsInt()
  @Min(1)
  CABINET_CODES_PER_DAY: number = 10000;

  /** Codes typed in an hour for one address (over all its codes), and from one client IP. */
  @IsInt()
  @Min(1)
  CABINET_CODE_CONFIRMS_PER_ADDRESS_PER_HOUR: number = 10;

  @IsInt()
  @Min(1)
  CABINET_CODE_CONFIRMS_PER_IP_PER_HOUR: number = 30;

  /**
   * The residents' pages keep the session in a `Secure` cookie named with the `__Host-` prefix, so
   * they must be served over HTTPS. `false` only for plain-HTTP local development (`npm start`, the
   * tests): the cookies are then neither. Anything but `true` or `false` is refused at boot.
   */
  @StrictBoolean('CABINET_COOKIE_SECURE')
  CABINET_COOKIE_SECURE: boolean = true;

  /** Browser origins of the cabinet's front end (comma list); empty: no CORS headers. */
  @CommaList()
  @ValidateBy({
    name: 'webOrigins',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.every(isWebOrigin),
      defaultMessage: () =>
        'CABINET_CORS_ORIGINS must be a comma list of origins as browsers send them, as https://lk.example.ru (lower case, no path, no slash at the end)',
    },
  })
  CABINET_CORS_ORIGINS: string[] = [];

  @IsInt()
  @Min(1)
  @Max(24 * 30)
  CABINET_PENDING_REGISTRATION_HOURS: number = 24;

  @IsInt()
  @Min(1)
  @Max(24 * 60)
  CABINET_RETENTION_SWEEP_MINUTES: number = 60;

  /**
   * How often verification reminders are looked up and e-mailed to residents. At most an hour: a
   * timer longer than Node's (about 24.8 days) would fire every millisecond.
   */
  @IsInt()
  @Min(100)
  @Max(3600000)
  CABINET_REMINDER_MAIL_INTERVAL_MS: number = 60000;
}
