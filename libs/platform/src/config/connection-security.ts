import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MinLength, ValidateBy, ValidateIf } from 'class-validator';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';

/** Kafka's own names for a listener's security, as brokers' `listener.security.protocol.map` spells them. */
export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];

export const KAFKA_SASL_MECHANISMS = ['SCRAM-SHA-512', 'SCRAM-SHA-256'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** libpq's `sslmode` values that node-postgres can honour (`allow` and `prefer` need a fallback it lacks). */
export const DATABASE_SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type DatabaseSslMode = (typeof DATABASE_SSL_MODES)[number];

/** PEM texts read from the files the settings name; a field is absent when its file is not set. */
export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * How to reach Kafka beyond the broker list: plain data (PEM texts, not paths), so a worker
 * thread can be handed it as it is.
 */
export interface KafkaSecurity {
  /** null: plaintext. */
  tls: TlsMaterial | null;
  /** null: no authentication. */
  sasl: { mechanism: KafkaSaslMechanism; username: string; password: string } | null;
}

export const NO_KAFKA_SECURITY: KafkaSecurity = { tls: null, sasl: null };

/** TLS to PostgreSQL; null when `DATABASE_SSL_MODE` is `disable`. */
export interface DatabaseTls extends TlsMaterial {
  mode: Exclude<DatabaseSslMode, 'disable'>;
}

/** A path to a file this process can read, checked at boot so a typo fails there, naming the variable. */
function ReadableFile(): PropertyDecorator {
  return applyDecorators(
    // An empty variable (a blank ConfigMap entry) means "not set".
    Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value)),
    IsOptional(),
    IsString(),
    ValidateBy({
      name: 'readableFile',
      validator: {
        validate: (value: unknown) => {
          try {
            accessSync(String(value), constants.R_OK);
            // A folder passes the access check, and reading it at boot would throw EISDIR.
            return statSync(String(value)).isFile();
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => `${args?.property} must name a file this process can read`,
      },
    }),
  );
}

/** A setting that only means something when another one has one of `values`. */
function OnlyWith(other: string, values: readonly string[]): PropertyDecorator {
  return ValidateBy({
    name: 'onlyWith',
    validator: {
      validate: (value, args) =>
        value === undefined ||
        values.includes(String((args?.object as Record<string, unknown>)[other])),
      defaultMessage: (args) => `${args?.property} needs ${other} ${values.join(' or ')}`,
    },
  });
}

/** A setting that must be given together with another one (a client certificate and its key). */
function TogetherWith(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'togetherWith',
    validator: {
      validate: (value, args) =>
        (value === undefined) === ((args?.object as Record<string, unknown>)[other] === undefined),
      defaultMessage: (args) => `${args?.property} and ${other} go together`,
    },
  });
}

const TLS_PROTOCOLS = ['SSL', 'SASL_SSL'];
const SASL_PROTOCOLS = ['SASL_PLAINTEXT', 'SASL_SSL'];
const isSasl = (env: ConnectionSecurityEnv) => SASL_PROTOCOLS.includes(env.KAFKA_SECURITY_PROTOCOL);
const TLS_MODES = ['require', 'verify-ca', 'verify-full'];
const VERIFYING_MODES = ['verify-ca', 'verify-full'];

/**
 * How every app and `ctl` secure their connections to Kafka and PostgreSQL. Off by default (the
 * local broker and server of `npm start`); a production cluster sets them.
 */
export class ConnectionSecurityEnv {
  @IsIn(KAFKA_SECURITY_PROTOCOLS)
  KAFKA_SECURITY_PROTOCOL: KafkaSecurityProtocol = 'PLAINTEXT';

  /** The CA that signed the brokers' certificates; without it, the system's CAs. */
  @ReadableFile()
  @OnlyWith('KAFKA_SECURITY_PROTOCOL', TLS_PROTOCOLS)
  KAFKA_SSL_CA_FILE?: string;

  /** A client certificate (PEM), for brokers that ask for one (`ssl.client.auth`). */
  @ReadableFile()
  @OnlyWith('KAFKA_SECURITY_PROTOCOL', TLS_PROTOCOLS)
  @TogetherWith('KAFKA_SSL_KEY_FILE')
  KAFKA_SSL_CERT_FILE?: string;

  /** The client certificate's private key (PEM, unencrypted: the file's permissions protect it). */
  @ReadableFile()
  @OnlyWith('KAFKA_SECURITY_PROTOCOL', TLS_PROTOCOLS)
  @TogetherWith('KAFKA_SSL_CERT_FILE')
  KAFKA_SSL_KEY_FILE?: string;

  @IsIn(KAFKA_SASL_MECHANISMS)
  KAFKA_SASL_MECHANISM: KafkaSaslMechanism = 'SCRAM-SHA-512';

  @ValidateIf(isSasl)
  @IsString({ message: 'KAFKA_SASL_USERNAME is required with a SASL protocol' })
  @MinLength(1, { message: 'KAFKA_SASL_USERNAME is required with a SASL protocol' })
  KAFKA_SASL_USERNAME?: string;

  /** A secret: from the orchestrator's secret store, never from a file in the image. */
  @ValidateIf(isSasl)
  @IsString({ message: 'KAFKA_SASL_PASSWORD is required with a SASL protocol' })
  @MinLength(1, { message: 'KAFKA_SASL_PASSWORD is required with a SASL protocol' })
  KAFKA_SASL_PASSWORD?: string;

  @IsIn(DATABASE_SSL_MODES)
  @ValidateBy({
    name: 'sslModeOnce',
    validator: {
      // node-postgres lets TLS parameters in the URL override its other options: one place only.
      validate: (value, args) =>
        value === 'disable' ||
        !/[?&](sslmode|ssl|sslrootcert|sslcert|sslkey)=/.test(
          String((args?.object as Record<string, unknown>).DATABASE_URL ?? ''),
        ),
      defaultMessage: () =>
        'DATABASE_SSL_MODE is set: leave sslmode and the ssl* parameters out of DATABASE_URL',
    },
  })
  DATABASE_SSL_MODE: DatabaseSslMode = 'disable';

  /** The CA that signed the server's certificate (`verify-ca`, `verify-full`); without it, the system's CAs. */
  @ReadableFile()
  @OnlyWith('DATABASE_SSL_MODE', VERIFYING_MODES)
  DATABASE_SSL_CA_FILE?: string;

  /** A client certificate, for servers that authenticate by certificate (`hostssl … cert`). */
  @ReadableFile()
  @OnlyWith('DATABASE_SSL_MODE', TLS_MODES)
  @TogetherWith('DATABASE_SSL_KEY_FILE')
  DATABASE_SSL_CERT_FILE?: string;

  @ReadableFile()
  @OnlyWith('DATABASE_SSL_MODE', TLS_MODES)
  @TogetherWith('DATABASE_SSL_CERT_FILE')
  DATABASE_SSL_KEY_FILE?: string;
}

const read = (path: string | undefined) => (path ? readFileSync(path, 'utf8') : undefined);

function tlsMaterial(ca?: string, cert?: string, key?: string): TlsMaterial {
  return Object.fromEntries(
    Object.entries({ ca: read(ca), cert: read(cert), key: read(key) }).filter(([, v]) => v),
  );
}

/** The Kafka security the settings describe, with the files read. */
export function kafkaSecurity(env: ConnectionSecurityEnv): KafkaSecurity {
  const protocol = env.KAFKA_SECURITY_PROTOCOL;
  return {
    tls: TLS_PROTOCOLS.includes(protocol)
      ? tlsMaterial(env.KAFKA_SSL_CA_FILE, env.KAFKA_SSL_CERT_FILE, env.KAFKA_SSL_KEY_FILE)
      : null,
    sasl: SASL_PROTOCOLS.includes(protocol)
      ? {
          mechanism: env.KAFKA_SASL_MECHANISM,
          username: env.KAFKA_SASL_USERNAME as string,
          password: env.KAFKA_SASL_PASSWORD as string,
        }
      : null,
  };
}

/** The PostgreSQL TLS the settings describe, with the files read; null for `disable`. */
export function databaseTls(env: ConnectionSecurityEnv): DatabaseTls | null {
  if (env.DATABASE_SSL_MODE === 'disable') return null;
  return {
    mode: env.DATABASE_SSL_MODE,
    ...tlsMaterial(env.DATABASE_SSL_CA_FILE, env.DATABASE_SSL_CERT_FILE, env.DATABASE_SSL_KEY_FILE),
  };
}
