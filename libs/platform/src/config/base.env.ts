import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  // StrictBoolean is where IsBoolean belongs: after the raw string has been read.
  // eslint-disable-next-line no-restricted-imports
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { parseIpRange } from '../auth/ip-allow-list';
import { OWASP_SCRYPT, type ScryptParams } from '../auth/password';
import { parseOtlpHeaders } from '../tracing/otlp-trace-request';
import { ConnectionSecurityEnv } from './connection-security';

/**
 * A service's http(s) address: a host name without a dot (a Kubernetes service) is fine, a user or
 * password in it is not (fetch refuses such a URL, quoting it whole in its error).
 */
export function HttpUrlSetting(name: string): PropertyDecorator {
  return IsUrl(
    {
      protocols: ['http', 'https'],
      require_tld: false,
      require_protocol: true,
      disallow_auth: true,
    },
    { message: `${name} must be an http(s) URL, without a user or password in it` },
  );
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/meter_gateway';

/** How long PostgreSQL may take before a caller hears "unavailable" (milliseconds; 0 = no limit). */
export interface DatabaseTimeouts {
  /** Opening a connection, or waiting for a free one in the pool. */
  connectMs: number;
  /** One statement, enforced by the server (SQLSTATE 57014). */
  statementMs: number;
  /** Waiting for a row or table lock (SQLSTATE 55P03). */
  lockMs: number;
  /** A transaction left open with nothing running: the server ends the session. */
  idleInTransactionMs: number;
}

/** `development` runs on the development keys published with the code (see SecretSetting). */
export const GATEWAY_MODES = ['production', 'development'] as const;
export type GatewayMode = (typeof GATEWAY_MODES)[number];

/**
 * An edge answers well inside a client's usual 30 s: 5 s to connect is many round trips even across
 * zones; no statement of the gateway runs for more than a few seconds (the largest merges a slice
 * of 50,000 registry rows), so 15 s means the server is in trouble; 5 s on a lock means a stuck transaction elsewhere;
 * 30 s idle in a transaction is a client that has died with its locks held.
 */
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 5000,
  statementMs: 15000,
  lockMs: 5000,
  idleInTransactionMs: 30000,
};

/**
 * A setting that is exactly `true` or `false` (default when unset). Anything else is refused at
 * boot, so a typo such as `yes` or `FALSE` cannot silently turn a safety setting off.
 */
export function StrictBoolean(name: string): PropertyDecorator {
  return applyDecorators(
    // The raw string, not `value`: implicit conversion has already made any non-empty string true.
    Transform(({ obj, value }) => {
      const raw: unknown = (obj as Record<string, unknown>)[name];
      if (raw === undefined) return value;
      return raw === 'true' || raw === true ? true : raw === 'false' || raw === false ? false : raw;
    }),
    IsBoolean({ message: `${name} must be true or false` }),
  );
}

/** An integer setting from `min` to `max` inclusive (no upper bound when `max` is left out). */
export function IntSetting(min: number, max?: number): PropertyDecorator {
  return applyDecorators(IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)]));
}

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/** A setting given as a comma list (`a, b,c`), read as an array of its non-empty strings. */
export function CommaList(): PropertyDecorator {
  return applyDecorators(Transform(toList), IsString({ each: true }));
}

/** `host:port`, with a port from 1 to 65535. */
function isHostPort(value: unknown): boolean {
  const match = /^[^:\s]+:(\d{1,5})$/.exec(String(value));
  return match !== null && Number(match[1]) >= 1 && Number(match[1]) <= 65535;
}

/** A number setting that must not exceed another one of the same object. */
export function NotAbove(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'notAbove',
    constraints: [other],
    validator: {
      validate: (value, args) =>
        typeof value !== 'number' ||
        value <= ((args?.object as Record<string, unknown>)[other] as number),
      defaultMessage: (args) => `${args?.property} must not exceed ${other}`,
    },
  });
}

/**
 * A URL TypeORM and node-postgres both read as written: `postgres(ql)://`, a host (without one they
 * would connect to localhost), a port from 1 to 65535 when given, and user, password and database
 * percent-encoded correctly (they are decoded at the first connection, which would throw).
 */
function isPostgresUrl(value: unknown): boolean {
  let url: URL;
  try {
    url = new URL(String(value));
    [url.username, url.password, url.pathname].forEach((part) => decodeURIComponent(part));
  } catch {
    return false;
  }
  return (
    ['postgres:', 'postgresql:'].includes(url.protocol) && url.hostname !== '' && url.port !== '0'
  );
}

/** A comma list of IP addresses or CIDR ranges. */
function IpRangeList(): PropertyDecorator {
  return applyDecorators(
    CommaList(),
    ValidateBy({
      name: 'ipRangeList',
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) && value.every((v) => parseIpRange(String(v)) !== null),
        defaultMessage: (args) =>
          `${args?.property} must be a comma list of IP addresses or CIDR ranges`,
      },
    }),
  );
}

/** Settings every app shares (contract section 1), with how its connections are secured. */
export class BaseEnv extends ConnectionSecurityEnv {
  @CommaList()
  @ArrayNotEmpty({ message: 'KAFKA_BROKERS must name at least one host:port' })
  @ValidateBy({
    name: 'brokerList',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.every(isHostPort),
      defaultMessage: () => 'KAFKA_BROKERS must be a comma list of host:port (port 1 to 65535)',
    },
  })
  KAFKA_BROKERS: string[] = ['127.0.0.1:9092'];

  @ValidateBy({
    name: 'postgresUrl',
    validator: {
      validate: isPostgresUrl,
      defaultMessage: () =>
        'DATABASE_URL must be a postgres:// URL naming a host, as postgres://user:password@host:port/database (port 1 to 65535, % only in %XX escapes)',
    },
  })
  DATABASE_URL: string = DEFAULT_DATABASE_URL;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: string = 'log';

  /**
   * `development` (set by `npm start` and the tests) lets apps run on published development keys;
   * in every other case each app needs its own secrets to boot.
   */
  @IsIn(GATEWAY_MODES, { message: 'GATEWAY_MODE must be production or development' })
  GATEWAY_MODE: GatewayMode = 'production';

  @IntSetting(1000, 120000)
  KAFKA_SEND_TIMEOUT_MS: number = 10000;

  /** Copies of every partition of the gateway's topics; 3 survives the loss of one broker. */
  @IntSetting(1, 15)
  KAFKA_REPLICATION_FACTOR: number = 3;

  /** Copies that must hold a write before `acks=all` answers it; at most the replication factor. */
  @IntSetting(1)
  @NotAbove('KAFKA_REPLICATION_FACTOR')
  KAFKA_MIN_INSYNC_REPLICAS: number = 2;

  /** Partitions of the submission and outcome topics when they are created. */
  @IntSetting(1, 1000)
  KAFKA_PARTITIONS: number = 12;

  /**
   * Connections in this process's pool; each app has its own default (the processor 8, the back
   * office 10, the edges 5, the feed 4). Behind PgBouncer it may go up; against PostgreSQL itself,
   * replicas times pool sizes must stay under the server's `max_connections`.
   */
  @IsOptional()
  @IntSetting(1, 200)
  DATABASE_POOL_SIZE?: number;

  @IntSetting(100, 120000)
  DATABASE_CONNECT_TIMEOUT_MS: number = DEFAULT_DATABASE_TIMEOUTS.connectMs;

  @IntSetting(0, 3600000)
  DATABASE_STATEMENT_TIMEOUT_MS: number = DEFAULT_DATABASE_TIMEOUTS.statementMs;

  @IntSetting(0, 3600000)
  DATABASE_LOCK_TIMEOUT_MS: number = DEFAULT_DATABASE_TIMEOUTS.lockMs;

  @IntSetting(0, 3600000)
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: number = DEFAULT_DATABASE_TIMEOUTS.idleInTransactionMs;

  /**
   * How long in-flight requests and batches may take to finish after SIGTERM or SIGINT. Above
   * KAFKA_SEND_TIMEOUT_MS, so a request that began publishing just before the signal, Kafka out of
   * reach, still gets its answer rather than a cut connection.
   */
  @IntSetting(0, 600000)
  SHUTDOWN_TIMEOUT_MS: number = 15000;

  /**
   * How long an app keeps serving, unready, after the signal and before it stops listening, so a
   * load balancer has seen the failing readiness probe by then (e.g. 5000 behind Kubernetes).
   */
  @IntSetting(0, 60000)
  SHUTDOWN_DELAY_MS: number = 0;

  /**
   * Reverse proxies (addresses or CIDRs) whose X-Forwarded-For is believed: the client IP is the
   * rightmost address of the chain that is not one of them. None by default.
   */
  @IpRangeList()
  TRUSTED_PROXIES: string[] = [];

  /** The first gate of every HTTP app, per client IP and instance, before any body or password. */
  @IntSetting(1)
  CLIENT_RATE_LIMIT_PER_SECOND: number = 50;

  @IntSetting(1)
  CLIENT_RATE_LIMIT_BURST: number = 100;

  /**
   * Where spans are exported over OTLP/HTTP (JSON): a collector's base URL, `/v1/traces` is
   * appended. Neither this nor the next is set: no export.
   */
  @IsOptional()
  @HttpUrlSetting('OTEL_EXPORTER_OTLP_ENDPOINT')
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** The full traces URL, used as it is; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  @IsOptional()
  @HttpUrlSetting('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  /** Headers for the collector (`api-key=…,tenant=…`, values percent-encoded); may hold a secret. */
  @IsOptional()
  @ValidateBy({
    name: 'otlpHeaders',
    validator: {
      validate: (value) => typeof value === 'string' && parseOtlpHeaders(value) !== null,
      defaultMessage: () =>
        'OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas, the values percent-encoded text without control characters',
    },
  })
  OTEL_EXPORTER_OTLP_HEADERS?: string;

  /** The `service.name` of the exported spans; the app's name by default. */
  @IsOptional()
  @IsString()
  OTEL_SERVICE_NAME?: string;

  /** scrypt derivations at once per process. */
  @IntSetting(1, 64)
  PASSWORD_CHECK_CONCURRENCY: number = 2;

  /** Password checks that may wait for a slot; beyond that they are refused (503). */
  @IntSetting(0)
  PASSWORD_CHECK_MAX_WAITING: number = 32;

  /**
   * scrypt's N for new password hashes, as a power of two: 17 (N=2^17, 128 MiB) is OWASP's
   * recommendation and the default. Lower is for test runs only (they use 14 to stay quick); an app
   * booted below 17 says so in its log. Stored hashes keep their own parameters.
   */
  @IntSetting(14, 20)
  PASSWORD_SCRYPT_LOG2_N: number = Math.log2(OWASP_SCRYPT.N);

  /**
   * Bearer token `/metrics`, `/docs` and `/docs-json` require; empty (the default, for local
   * runs) leaves them open. Production sets it, the same on every app, and gives it to the scraper.
   */
  @ValidateIf((env: BaseEnv) => env.MANAGEMENT_TOKEN !== '')
  @Matches(/^[\x21-\x7e]{32,}$/, {
    message: 'MANAGEMENT_TOKEN must be at least 32 printable characters without spaces',
  })
  MANAGEMENT_TOKEN: string = '';
}

export function databaseTimeouts(env: BaseEnv): DatabaseTimeouts {
  return {
    connectMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    lockMs: env.DATABASE_LOCK_TIMEOUT_MS,
    idleInTransactionMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  };
}

/** The scrypt parameters new password hashes are made with. */
export function passwordHashingOf(env: BaseEnv): ScryptParams {
  return { ...OWASP_SCRYPT, N: 2 ** env.PASSWORD_SCRYPT_LOG2_N };
}

/** An app's HTTP port (`<APP>_PORT`); 0 lets the system pick one, as tests do. */
export function PortEnv(): PropertyDecorator {
  return IntSetting(0, 65535);
}
