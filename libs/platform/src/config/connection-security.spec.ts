import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseEnv } from './base.env';
import { databaseTls, kafkaSecurity } from './connection-security';
import { loadConfig } from './load-config';

const dir = mkdtempSync(join(tmpdir(), 'connection-security-'));
const file = (name: string) => {
  const path = join(dir, name);
  writeFileSync(path, `PEM of ${name}`);
  return path;
};
const CA = file('ca.pem');
const CERT = file('client.pem');
const KEY = file('client.key');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Kafka security settings', () => {
  it('default to a plaintext, unauthenticated broker', () => {
    expect(kafkaSecurity(loadConfig(BaseEnv, {}))).toEqual({ tls: null, sasl: null });
  });

  it('read the CA, the client certificate and its key for SASL_SSL, with SCRAM-SHA-512', () => {
    const env = loadConfig(BaseEnv, {
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SSL_CA_FILE: CA,
      KAFKA_SSL_CERT_FILE: CERT,
      KAFKA_SSL_KEY_FILE: KEY,
      KAFKA_SASL_USERNAME: 'gateway',
      KAFKA_SASL_PASSWORD: 'secret',
    });
    expect(kafkaSecurity(env)).toEqual({
      tls: { ca: 'PEM of ca.pem', cert: 'PEM of client.pem', key: 'PEM of client.key' },
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'gateway', password: 'secret' },
    });
  });

  it.each<[string, Record<string, string>, { tls: unknown; sasl: unknown }]>([
    ['SSL with the system CAs', { KAFKA_SECURITY_PROTOCOL: 'SSL' }, { tls: {}, sasl: null }],
    [
      'SASL_PLAINTEXT with SCRAM-SHA-256',
      {
        KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      },
      { tls: null, sasl: { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p' } },
    ],
    [
      'blank file variables as unset',
      { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: '', KAFKA_SSL_KEY_FILE: '' },
      { tls: {}, sasl: null },
    ],
  ])('read %s', (_, vars, expected) => {
    expect(kafkaSecurity(loadConfig(BaseEnv, vars))).toEqual(expected);
  });

  it.each<[Record<string, string>, string]>([
    [{ KAFKA_SECURITY_PROTOCOL: 'TLS' }, 'KAFKA_SECURITY_PROTOCOL must be one of'],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'u' },
      'KAFKA_SASL_PASSWORD is required with a SASL protocol',
    ],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_PASSWORD: 'p' },
      'KAFKA_SASL_USERNAME is required with a SASL protocol',
    ],
    [{ KAFKA_SSL_CA_FILE: CA }, 'KAFKA_SSL_CA_FILE needs KAFKA_SECURITY_PROTOCOL SSL or SASL_SSL'],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: CERT },
      'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together',
    ],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: join(dir, 'missing.pem') },
      'KAFKA_SSL_CA_FILE must name a file this process can read',
    ],
    [
      // A folder passes an access check, and reading it at boot threw EISDIR, naming nothing.
      { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: dir },
      'KAFKA_SSL_CA_FILE must name a file this process can read',
    ],
    [{ KAFKA_SASL_MECHANISM: 'PLAIN' }, 'KAFKA_SASL_MECHANISM must be one of'],
  ])('refuse %p, naming the variable', (vars, message) => {
    expect(() => loadConfig(BaseEnv, vars)).toThrow(message);
  });

  it('never put a password in the refusal', () => {
    expect(() =>
      loadConfig(BaseEnv, { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_PASSWORD: 'hunter2' }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });
});

describe('PostgreSQL TLS settings', () => {
  it('default to none', () => {
    expect(databaseTls(loadConfig(BaseEnv, {}))).toBeNull();
  });

  it.each<[Record<string, string>, unknown]>([
    [{ DATABASE_SSL_MODE: 'require' }, { mode: 'require' }],
    [
      { DATABASE_SSL_MODE: 'verify-ca', DATABASE_SSL_CA_FILE: CA },
      { mode: 'verify-ca', ca: 'PEM of ca.pem' },
    ],
    [
      {
        DATABASE_SSL_MODE: 'verify-full',
        DATABASE_SSL_CA_FILE: CA,
        DATABASE_SSL_CERT_FILE: CERT,
        DATABASE_SSL_KEY_FILE: KEY,
      },
      {
        mode: 'verify-full',
        ca: 'PEM of ca.pem',
        cert: 'PEM of client.pem',
        key: 'PEM of client.key',
      },
    ],
  ])('read %p', (vars, expected) => {
    expect(databaseTls(loadConfig(BaseEnv, vars))).toEqual(expected);
  });

  it.each<[Record<string, string>, string]>([
    [{ DATABASE_SSL_MODE: 'prefer' }, 'DATABASE_SSL_MODE must be one of'],
    [
      { DATABASE_SSL_MODE: 'require', DATABASE_SSL_CA_FILE: CA },
      'DATABASE_SSL_CA_FILE needs DATABASE_SSL_MODE verify-ca or verify-full',
    ],
    [
      { DATABASE_SSL_MODE: 'verify-full', DATABASE_URL: 'postgres://db/gw?sslmode=require' },
      'leave sslmode and the ssl* parameters out of DATABASE_URL',
    ],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE'],
    [
      { DATABASE_SSL_MODE: 'verify-ca', DATABASE_SSL_CA_FILE: dir },
      'DATABASE_SSL_CA_FILE must name a file',
    ],
    // Read as 16 and 10 before: a number setting is written in digits, with or without a default.
    [{ DATABASE_POOL_SIZE: '0x10' }, 'DATABASE_POOL_SIZE must be a number written in digits'],
    [{ DATABASE_POOL_SIZE: '1e1' }, 'DATABASE_POOL_SIZE must be a number written in digits'],
    [{ DATABASE_POOL_SIZE: ' ' }, 'DATABASE_POOL_SIZE'],
  ])('refuse %p, naming the variable', (vars, message) => {
    expect(() => loadConfig(BaseEnv, vars)).toThrow(message);
  });

  it('read DATABASE_POOL_SIZE, absent by default so each app keeps its own', () => {
    expect(loadConfig(BaseEnv, {}).DATABASE_POOL_SIZE).toBeUndefined();
    expect(loadConfig(BaseEnv, { DATABASE_POOL_SIZE: '20' }).DATABASE_POOL_SIZE).toBe(20);
  });
});
