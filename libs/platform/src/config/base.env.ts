import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { parseIpRange } from '../auth/ip-allow-list';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/meter_gateway';

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

/** Settings every app shares (contract section 1). */
export class BaseEnv {
  @CommaList()
  @Matches(/^[^:\s]+:\d+$/, {
    each: true,
    message: 'KAFKA_BROKERS must be a comma list of host:port',
  })
  KAFKA_BROKERS: string[] = ['127.0.0.1:9092'];

  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string = DEFAULT_DATABASE_URL;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: string = 'log';

  @IsInt()
  @Min(1000)
  @Max(120000)
  KAFKA_SEND_TIMEOUT_MS: number = 10000;

  /**
   * Reverse proxies (addresses or CIDRs) whose X-Forwarded-For is believed: the client IP is the
   * rightmost address of the chain that is not one of them. None by default.
   */
  @IpRangeList()
  TRUSTED_PROXIES: string[] = [];

  /** The first gate of every HTTP app, per client IP and instance, before any body or password. */
  @IsInt()
  @Min(1)
  CLIENT_RATE_LIMIT_PER_SECOND: number = 50;

  @IsInt()
  @Min(1)
  CLIENT_RATE_LIMIT_BURST: number = 100;

  /** scrypt derivations at once per process. */
  @IsInt()
  @Min(1)
  @Max(64)
  PASSWORD_CHECK_CONCURRENCY: number = 2;

  /** Password checks that may wait for a slot; beyond that they are refused (503). */
  @IsInt()
  @Min(0)
  PASSWORD_CHECK_MAX_WAITING: number = 32;
}

/** A URL with its password replaced, for log lines. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** An app's HTTP port (`<APP>_PORT`); 0 lets the system pick one, as tests do. */
export function PortEnv(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(0), Max(65535));
}
