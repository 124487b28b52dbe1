import 'reflect-metadata';
import { BaseEnv, CommaList, databaseTimeouts, passwordHashingOf } from './base.env';
import { ConfigError, loadConfig } from './load-config';

class ListEnv {
  @CommaList()
  ORIGINS: string[] = [];
}

describe('CommaList', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['https://a.example', ['https://a.example']],
    [' https://a.example , https://b.example,, ', ['https://a.example', 'https://b.example']],
  ])('reads %p as %p', (value, expected) => {
    expect(loadConfig(ListEnv, value === undefined ? {} : { ORIGINS: value }).ORIGINS).toEqual(
      expected,
    );
  });
});

describe('BaseEnv', () => {
  it('reads KAFKA_BROKERS as a comma list of host:port', () => {
    expect(loadConfig(BaseEnv, { KAFKA_BROKERS: 'k1:9092, k2:9093' }).KAFKA_BROKERS).toEqual([
      'k1:9092',
      'k2:9093',
    ]);
  });

  it('names a broker that is not host:port', () => {
    expect(() => loadConfig(BaseEnv, { KAFKA_BROKERS: 'k1:9092,k2' })).toThrow(ConfigError);
    expect(() => loadConfig(BaseEnv, { KAFKA_BROKERS: 'k1:9092,k2' })).toThrow(
      'KAFKA_BROKERS must be a comma list of host:port',
    );
  });

  it.each(['k1:0', 'k1:65536', 'k1:99999', 'k1:9092,k2:123456'])(
    'refuses KAFKA_BROKERS=%p, whose port is out of range',
    (value) => {
      expect(() => loadConfig(BaseEnv, { KAFKA_BROKERS: value })).toThrow(
        'KAFKA_BROKERS must be a comma list of host:port (port 1 to 65535)',
      );
    },
  );

  it.each(['k1:1', 'k1:65535'])('takes the edge port of KAFKA_BROKERS=%p', (value) => {
    expect(loadConfig(BaseEnv, { KAFKA_BROKERS: value }).KAFKA_BROKERS).toEqual([value]);
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'http://otel:S3cret@collector:4318'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'https://user@otel.example/v1/traces'],
  ])('refuses %s with a user or password in it, which fetch would refuse', (name, value) => {
    expect(() => loadConfig(BaseEnv, { [name]: value })).toThrow(
      `${name} must be an http(s) URL, without a user or password in it`,
    );
  });

  it.each(['', ',', ' , ,'])('refuses KAFKA_BROKERS=%p, which names no broker', (value) => {
    expect(() => loadConfig(BaseEnv, { KAFKA_BROKERS: value })).toThrow(
      'KAFKA_BROKERS: KAFKA_BROKERS must name at least one host:port',
    );
  });

  it.each([
    'postgres://postgres@127.0.0.1:5432/meter_gateway',
    'postgresql://gateway:p%40ss@db.example:6432/gw?application_name=ctl',
    'postgres://gateway@[::1]/gw',
    'postgres://db.internal',
  ])('reads DATABASE_URL %p', (value) => {
    expect(loadConfig(BaseEnv, { DATABASE_URL: value }).DATABASE_URL).toBe(value);
  });

  it.each([
    'postgres://u:s3cret-pw@h:99999/x',
    'postgres://u:s3cret-pw@h:0/x',
    'postgres://u:s3cret-pw@h:port/x',
    'postgres://u:s3cret-pw%zz@h/x',
    'postgres://u%zz:s3cret-pw@h/x',
    'postgres://u:s3cret-pw@h/x%zz',
    'postgres://u:s3cret-pw@/x',
    'postgres://',
    'postgres:s3cret-pw',
    'mysql://u:s3cret-pw@h/x',
    's3cret-pw',
  ])('refuses DATABASE_URL %p at boot, naming it and not its password', (value) => {
    const boot = () => loadConfig(BaseEnv, { DATABASE_URL: value });
    expect(boot).toThrow(ConfigError);
    expect(boot).toThrow('DATABASE_URL: DATABASE_URL must be a postgres:// URL');
    expect(boot).not.toThrow('s3cret-pw');
  });

  it.each<[string, string[]]>([
    ['', []],
    ['10.0.0.1', ['10.0.0.1']],
    ['10.0.0.0/8, 192.168.1.0/24,fd00::/8', ['10.0.0.0/8', '192.168.1.0/24', 'fd00::/8']],
  ])('reads TRUSTED_PROXIES %p as addresses and CIDRs', (value, expected) => {
    expect(loadConfig(BaseEnv, { TRUSTED_PROXIES: value }).TRUSTED_PROXIES).toEqual(expected);
  });

  it.each(['10.0.0.0/33', 'balancer.local', '10.0.0.1/8/1'])(
    'refuses TRUSTED_PROXIES with %p, naming the variable and not the value',
    (value) => {
      expect(() => loadConfig(BaseEnv, { TRUSTED_PROXIES: value })).toThrow(
        'TRUSTED_PROXIES must be a comma list of IP addresses or CIDR ranges',
      );
    },
  );
});

describe('number settings', () => {
  it.each(['', ' ', ' 5000', '5000 ', '0x10', '1e3', '+5'])(
    'refuses DATABASE_STATEMENT_TIMEOUT_MS=%p, which implicit conversion would read as a number',
    (value) => {
      expect(() => loadConfig(BaseEnv, { DATABASE_STATEMENT_TIMEOUT_MS: value })).toThrow(
        'DATABASE_STATEMENT_TIMEOUT_MS: DATABASE_STATEMENT_TIMEOUT_MS must be a number written in digits',
      );
    },
  );

  it('still names the rule broken by text that is no number, and reads digits', () => {
    expect(() => loadConfig(BaseEnv, { DATABASE_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(
      'DATABASE_STATEMENT_TIMEOUT_MS: DATABASE_STATEMENT_TIMEOUT_MS must be an integer number',
    );
    expect(() => loadConfig(BaseEnv, { DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(
      'DATABASE_STATEMENT_TIMEOUT_MS must not be less than 0',
    );
    expect(loadConfig(BaseEnv, { DATABASE_STATEMENT_TIMEOUT_MS: '0' })).toMatchObject({
      DATABASE_STATEMENT_TIMEOUT_MS: 0,
    });
    expect(loadConfig(BaseEnv, { DATABASE_STATEMENT_TIMEOUT_MS: '2500' })).toMatchObject({
      DATABASE_STATEMENT_TIMEOUT_MS: 2500,
    });
  });
});

describe('MANAGEMENT_TOKEN', () => {
  const token = 'a'.repeat(32);

  it.each([
    ['', ''],
    [token, token],
  ])('reads %p', (value, expected) => {
    expect(loadConfig(BaseEnv, { MANAGEMENT_TOKEN: value }).MANAGEMENT_TOKEN).toBe(expected);
  });

  it.each([token.slice(1), `${token.slice(1)} `, `${token}\n`])(
    'refuses a short token or one with spaces, naming the variable and not the value',
    (value) => {
      const load = () => loadConfig(BaseEnv, { MANAGEMENT_TOKEN: value });
      expect(load).toThrow('MANAGEMENT_TOKEN must be at least 32 printable characters');
      expect(load).not.toThrow(value);
    },
  );
});

describe('PASSWORD_SCRYPT_LOG2_N', () => {
  it("defaults to OWASP's N=2^17, r=8, p=1", () => {
    expect(passwordHashingOf(loadConfig(BaseEnv, {}))).toEqual({ N: 131072, r: 8, p: 1 });
  });

  it('takes 14 (the tests) to 20', () => {
    expect(passwordHashingOf(loadConfig(BaseEnv, { PASSWORD_SCRYPT_LOG2_N: '14' })).N).toBe(16384);
    expect(() => loadConfig(BaseEnv, { PASSWORD_SCRYPT_LOG2_N: '13' })).toThrow(
      'PASSWORD_SCRYPT_LOG2_N',
    );
    expect(() => loadConfig(BaseEnv, { PASSWORD_SCRYPT_LOG2_N: '21' })).toThrow(
      'PASSWORD_SCRYPT_LOG2_N',
    );
  });
});

describe('database timeouts', () => {
  it('default to 5 s connect, 15 s statement, 5 s lock, 30 s idle in a transaction', () => {
    expect(databaseTimeouts(loadConfig(BaseEnv, {}))).toEqual({
      connectMs: 5000,
      statementMs: 15000,
      lockMs: 5000,
      idleInTransactionMs: 30000,
    });
  });

  it('are read from the environment, 0 switching a server-side limit off', () => {
    const env = loadConfig(BaseEnv, {
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '0',
      DATABASE_LOCK_TIMEOUT_MS: '250',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '60000',
    });
    expect(databaseTimeouts(env)).toEqual({
      connectMs: 1000,
      statementMs: 0,
      lockMs: 250,
      idleInTransactionMs: 60000,
    });
  });

  it.each(['DATABASE_CONNECT_TIMEOUT_MS', 'DATABASE_STATEMENT_TIMEOUT_MS', 'SHUTDOWN_TIMEOUT_MS'])(
    'names %s when it is not a number of milliseconds',
    (name) => {
      expect(() => loadConfig(BaseEnv, { [name]: '-1' })).toThrow(name);
    },
  );

  it('drains longer than a send may take, so a publish begun before the signal is answered', () => {
    const env = loadConfig(BaseEnv, {});
    expect(env.SHUTDOWN_TIMEOUT_MS).toBeGreaterThan(env.KAFKA_SEND_TIMEOUT_MS);
  });
});

describe('BaseEnv topic replication', () => {
  it('defaults to 3 replicas, 2 in sync and 12 partitions', () => {
    expect(loadConfig(BaseEnv, {})).toMatchObject({
      KAFKA_REPLICATION_FACTOR: 3,
      KAFKA_MIN_INSYNC_REPLICAS: 2,
      KAFKA_PARTITIONS: 12,
    });
  });

  it.each<[string, string, boolean]>([
    ['1', '1', true],
    ['3', '3', true],
    ['3', '2', true],
    ['1', '2', false],
    ['2', '3', false],
  ])('replication %s with min in sync %s is valid: %p', (factor, minIsr, valid) => {
    const load = () =>
      loadConfig(BaseEnv, { KAFKA_REPLICATION_FACTOR: factor, KAFKA_MIN_INSYNC_REPLICAS: minIsr });
    if (valid) expect(load()).toMatchObject({ KAFKA_MIN_INSYNC_REPLICAS: Number(minIsr) });
    else expect(load).toThrow('KAFKA_MIN_INSYNC_REPLICAS must not exceed KAFKA_REPLICATION_FACTOR');
  });
});
