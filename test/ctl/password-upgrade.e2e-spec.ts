import type { INestApplication } from '@nestjs/common';
import { CredentialRepository } from '../../apps/ctl/src/persistence/credential.repository';
import { configurePasswordHashing, generateSecret, hashPassword } from '@gw/platform';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { addScanningCentre, basic, startSlipIngest } from '../slips/slip-harness';
import { testDatabase } from '../support/infra';
import { addTerminal, startTerminalGateway } from '../terminal/support/terminal-gateway';
import { login, startBackoffice, uniqueLogin } from '../backoffice/backoffice-app';

const paramsOf = (stored: string) => stored.split('$').slice(1, 4).map(Number);

describe('backoffice-api: an operator hash older than the scrypt parameters', () => {
  let db: DataSource;
  let app: INestApplication;
  const operator = { login: uniqueLogin(), password: generateSecret() };
  const stored = async () => {
    const [row] = await db.query(
      'SELECT password_hash, session_epoch FROM operators WHERE login = $1',
      [operator.login],
    );
    return row as { password_hash: string; session_epoch: number };
  };

  beforeAll(async () => {
    db = await testDatabase();
    // The hash as every operator had it before: N=2^14.
    configurePasswordHashing({ N: 2 ** 14, r: 8, p: 1 });
    await new CredentialRepository(db).saveOperator(
      operator.login,
      await hashPassword(operator.password),
      'operator',
    );
    // The production default, N=2^17 (OWASP), not the tests' quicker setting.
    app = await startBackoffice({ PASSWORD_SCRYPT_LOG2_N: '17' });
  });

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('signs in with the old hash and stores a new one at N=2^17, leaving the session valid', async () => {
    const before = await stored();
    expect(paramsOf(before.password_hash)).toEqual([16384, 8, 1]);

    const token = await login(app, operator);

    const after = await stored();
    expect(paramsOf(after.password_hash)).toEqual([131072, 8, 1]);
    expect(after.password_hash).not.toBe(before.password_hash);
    // Not a password change: the session just issued, and any other, go on.
    expect(after.session_epoch).toBe(before.session_epoch);
    await request(app.getHttpServer())
      .get(`/v1/submissions/${randomUUID()}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(404);
  });

  it('signs in with the upgraded hash, which it leaves alone, and still refuses a wrong password', async () => {
    const upgraded = (await stored()).password_hash;
    await login(app, operator);
    expect((await stored()).password_hash).toBe(upgraded);
    await request(app.getHttpServer())
      .post('/v1/auth/login')
      .send({ login: operator.login, password: `${operator.password}x` })
      .expect(401);
  });
});

/** A machine credential issued by `ctl` at the tests' N=2^14, and one request it authenticates. */
interface MachineCase {
  issue(): Promise<{ login: string; password: string }>;
  start(env: Record<string, string>): Promise<INestApplication>;
  table: string;
  path: string;
  expected: number;
}

const MACHINES: [string, MachineCase][] = [
  [
    'a payment terminal',
    {
      issue: () => addTerminal(`T-REHASH-${process.env.E2E_RUN_ID}`),
      start: startTerminalGateway,
      table: 'terminals',
      path: '/v1/terminal/osmp?command=check&txn_id=1&account=0000000000&sum=0',
      expected: 200,
    },
  ],
  [
    'a scanning centre',
    {
      issue: () => addScanningCentre(),
      start: startSlipIngest,
      table: 'scanning_centres',
      path: '/v1/slips/batches/never-uploaded',
      expected: 404,
    },
  ],
];

describe.each(MACHINES)('%s with a hash older than the scrypt parameters', (_name, machine) => {
  let db: DataSource;
  let app: INestApplication;
  let credentials: { login: string; password: string };
  const storedHash = async () => {
    const [row] = await db.query(`SELECT password_hash FROM ${machine.table} WHERE login = $1`, [
      credentials.login,
    ]);
    return row.password_hash as string;
  };

  beforeAll(async () => {
    db = await testDatabase();
    credentials = await machine.issue();
    app = await machine.start({ PASSWORD_SCRYPT_LOG2_N: '17' });
  });

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('is upgraded to N=2^17 at its first successful request, and signs in with it after', async () => {
    expect(paramsOf(await storedHash())).toEqual([16384, 8, 1]);
    const call = () =>
      request(app.getHttpServer()).get(machine.path).set('Authorization', basic(credentials));
    expect((await call()).status).toBe(machine.expected);
    const upgraded = await storedHash();
    expect(paramsOf(upgraded)).toEqual([131072, 8, 1]);
    expect((await call()).status).toBe(machine.expected);
    expect(await storedHash()).toBe(upgraded);
  });
});
