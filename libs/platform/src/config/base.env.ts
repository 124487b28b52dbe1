import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';

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

/** A number setting that must not exceed another one of the same object. */
function NotAbove(other: string): PropertyDecorator {
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

  /** Copies of every partition of the gateway's topics; 3 survives the loss of one broker. */
  @IsInt()
  @Min(1)
  @Max(15)
  KAFKA_REPLICATION_FACTOR: number = 3;

  /** Copies that must hold a write before `acks=all` answers it; at most the replication factor. */
  @IsInt()
  @Min(1)
  @NotAbove('KAFKA_REPLICATION_FACTOR')
  KAFKA_MIN_INSYNC_REPLICAS: number = 2;

  /** Partitions of the submission and outcome topics when they are created. */
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_PARTITIONS: number = 12;
}

/** A URL with its password replaced, for log lines. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** An app's HTTP port (`<APP>_PORT`); 0 lets the system pick one, as tests do. */
export function PortEnv(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(0), Max(65535));
}
