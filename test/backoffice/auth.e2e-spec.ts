import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { toMoscowIso } from '@gw/domain';
import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { BackofficeApiModule } from '../../apps/backoffice-api/src/backoffice-api.module';
import { Roles } from '../../apps/backoffice-api/src/auth/roles.decorator';
import { testDatabase } from '../support/infra';
import { tokenClaims } from '../support/tokens';
import {
  backofficeEnv,
  createOperator,
  forgeToken,
  login,
  startBackoffice,
  TOKEN_SECRET,
  uniqueLogin,
} from './backoffice-app';
import { runCtl } from '../support/ctl';

const TTL_SECONDS = 3600;
const FREE_ATTEMPTS = 3;
const BASE_DELAY_SECONDS = 600;

/** Routes that only later issues add to the API, to show the hierarchy above `operator`. */
@Controller('probe')
class RoleProbeController {
  @Get('supervisor')
  @Roles('supervisor')
  supervisor() {
    return { ok: true };
  }

  @Get('admin')
  @Roles('admin')
  admin() {
    return { ok: true };
  }
}

describe('backoffice-api login, tokens and roles', () => {
  let db: DataSource;
  let app: INestApplication;
  // A read route: 404 once a request gets past authentication, since the id was never submitted.
  const readRoute = `/v1/submissions/${randomUUID()}`;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await testDatabase();
    app = await startBackoffice({
      BACKOFFICE_TOKEN_TTL_SECONDS: String(TTL_SECONDS),
      BACKOFFICE_LOGIN_FREE_ATTEMPTS: String(FREE_ATTEMPTS),
      BACKOFFICE_LOGIN_BASE_DELAY_SECONDS: String(BASE_DELAY_SECONDS),
      BACKOFFICE_LOGIN_MAX_DELAY_SECONDS: String(4 * BASE_DELAY_SECONDS),
      TRUSTED_PROXIES: '127.0.0.1,::1',
    });
  });

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('logs in an operator added with `ctl operator add` and issues a signed token expiring after the configured TTL', async () => {
    const operatorLogin = uniqueLogin();
    const printed = await runCtl('operator', 'add', operatorLogin, '--role', 'supervisor');
    expect(printed.login).toBe(operatorLogin);
    const [stored] = await db.query('SELECT password_hash, role FROM operators WHERE login = $1', [
      operatorLogin,
    ]);
    expect(stored.role).toBe('supervisor');
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(stored.password_hash).not.toContain(printed.password);

    const before = Math.floor(Date.now() / 1000);
    const res = await http()
      .post('/v1/auth/login')
      .send({ login: operatorLogin, password: printed.password })
      .expect(200);
    const after = Math.floor(Date.now() / 1000);
    expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'role', 'token']);
    expect(res.body.role).toBe('supervisor');
    const claims = tokenClaims(res.body.token);
    expect(claims).toMatchObject({ sub: operatorLogin, role: 'supervisor', aud: 'backoffice' });
    expect(claims.exp).toBeGreaterThanOrEqual(before + TTL_SECONDS);
    expect(claims.exp).toBeLessThanOrEqual(after + TTL_SECONDS);
    expect(res.body.expiresAt).toBe(toMoscowIso(new Date(claims.exp * 1000)));

    await http().get(readRoute).set('Authorization', `Bearer ${res.body.token}`).expect(404);
  });

  it('ends every session of an operator on `ctl operator revoke` and on a password reset; they can log in again', async () => {
    const operator = await createOperator(db, 'operator');
    const status = async (token: string) =>
      (await http().get(readRoute).set('Authorization', `Bearer ${token}`)).status;
    const sessions = [await login(app, operator), await login(app, operator)];
    expect(await Promise.all(sessions.map(status))).toEqual([404, 404]);

    expect(await runCtl('operator', 'revoke', operator.login)).toEqual({
      login: operator.login,
      revoked: true,
    });
    expect(await Promise.all(sessions.map(status))).toEqual([401, 401]);
    const refused = await http().get(readRoute).set('Authorization', `Bearer ${sessions[0]}`);
    expect(refused.body.message).toBe('invalid or expired token');
    const again = await login(app, operator);
    expect(await status(again)).toBe(404);

    const reset = await runCtl<{ login: string; password: string }>(
      'operator',
      'add',
      operator.login,
      '--role',
      'operator',
    );
    expect(await status(again)).toBe(401);
    await http().post('/v1/auth/login').send(operator).expect(401);
    expect(await status(await login(app, reset))).toBe(404);

    await expect(runCtl('operator', 'revoke', 'nobody-here')).rejects.toThrow(
      'no operator nobody-here',
    );
  });

  it('signs in with the login in another case as the operator, whose login stays as first written', async () => {
    const operatorLogin = `Ivanov-${uniqueLogin()}`;
    const printed = await runCtl('operator', 'add', operatorLogin, '--role', 'supervisor');
    for (const typed of [operatorLogin.toUpperCase(), operatorLogin.toLowerCase()]) {
      const res = await http()
        .post('/v1/auth/login')
        .send({ login: typed, password: printed.password })
        .expect(200);
      expect(res.body.role).toBe('supervisor');
      expect(tokenClaims(res.body.token)).toMatchObject({ sub: operatorLogin });
      await http().get(readRoute).set('Authorization', `Bearer ${res.body.token}`).expect(404);
    }
  });

  it('answers 401 with the same message for a wrong password and an unknown login', async () => {
    const operator = await createOperator(db, 'operator');
    const wrongPassword = await http()
      .post('/v1/auth/login')
      .send({ login: operator.login, password: `${operator.password}x` })
      .expect(401);
    const unknownLogin = await http()
      .post('/v1/auth/login')
      .send({ login: uniqueLogin(), password: operator.password })
      .expect(401);
    expect(wrongPassword.body).toEqual({
      statusCode: 401,
      error: 'INVALID_CREDENTIALS',
      message: 'wrong login or password',
    });
    expect(unknownLogin.body).toEqual(wrongPassword.body);
    expect(JSON.stringify(wrongPassword.body)).not.toContain(operator.login);
  });

  it('answers 400 naming the problem for a login body that lacks fields, is too long or is not JSON', async () => {
    const missing = await http().post('/v1/auth/login').send({}).expect(400);
    expect(missing.body.message).toEqual(
      expect.arrayContaining([
        'login must be longer than or equal to 1 characters',
        'password must be a string',
      ]),
    );
    const long = await http()
      .post('/v1/auth/login')
      .send({ login: 'x'.repeat(65), password: 'secret' })
      .expect(400);
    expect(long.body.message).toEqual(['login must be shorter than or equal to 64 characters']);
    const notJson = await http()
      .post('/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"login": "anna",')
      .expect(400);
    expect(notJson.body.message).toMatch(/JSON/);
  });

  it('delays a login from one address after repeated failures, even with the right password, and leaves that login from other addresses and other logins alone', async () => {
    const target = await createOperator(db, 'operator');
    const bystander = await createOperator(db, 'operator');
    const from = (ip: string) => http().post('/v1/auth/login').set('X-Forwarded-For', ip);
    for (let i = 0; i < FREE_ATTEMPTS; i += 1)
      await from('203.0.113.7').send({ login: target.login, password: 'guess' }).expect(401);
    const delayed = await from('203.0.113.7').send(target).expect(429);
    expect(delayed.body).toMatchObject({ statusCode: 429, error: 'LOGIN_THROTTLED' });
    expect(Number(delayed.headers['retry-after'])).toBeGreaterThan(BASE_DELAY_SECONDS - 10);
    expect(Number(delayed.headers['retry-after'])).toBeLessThanOrEqual(BASE_DELAY_SECONDS);
    expect(delayed.body.token).toBeUndefined();
    // Trying again before the delay has passed doubles it.
    const longer = await from('203.0.113.7').send(target).expect(429);
    expect(Number(longer.headers['retry-after'])).toBeGreaterThan(2 * BASE_DELAY_SECONDS - 10);
    // The same login from another address is not locked out.
    await from('198.51.100.20').send(target).expect(200);
    await login(app, bystander);

    // The counters are keyed with a secret: a copy of the table does not tell who tried the login.
    const unkeyed = (text: string) => createHash('sha256').update(text).digest('hex');
    const run = `${target.login.toLowerCase()}\n203.0.113.7`;
    const keys = await db.query(
      `SELECT key_hash FROM rate_limit_counters WHERE scope = 'operator_login'`,
    );
    expect(keys.length).toBeGreaterThan(0);
    const stored = keys.map((k: { key_hash: string }) => k.key_hash);
    expect(stored).not.toContain(unkeyed(run));

    // A made-up login is throttled the same way, so throttling does not reveal which logins exist.
    const unknown = uniqueLogin();
    for (let i = 0; i < FREE_ATTEMPTS; i += 1)
      await from('203.0.113.8').send({ login: unknown, password: 'guess' }).expect(401);
    await from('203.0.113.8').send({ login: unknown, password: 'guess' }).expect(429);
  });

  it('counts the failures of one login from the addresses of one IPv6 /64 together', async () => {
    const target = await createOperator(db, 'operator');
    const from = (ip: string) => http().post('/v1/auth/login').set('X-Forwarded-For', ip);
    for (let i = 1; i <= FREE_ATTEMPTS; i += 1)
      await from(`2001:db8:7:7::${i}`).send({ login: target.login, password: 'guess' }).expect(401);
    await from('2001:db8:7:7:ffff::1').send(target).expect(429);
    await from('2001:db8:7:8::1').send(target).expect(200);
  });

  it('lets no spelling of a login past its delays: a dotted İ, which PostgreSQL lower-cases to i, is not the operator', async () => {
    const operatorLogin = `Ivanov-${uniqueLogin()}`;
    const printed = await runCtl('operator', 'add', operatorLogin, '--role', 'operator');
    const from = () => http().post('/v1/auth/login').set('X-Forwarded-For', '203.0.113.10');
    for (let i = 0; i < FREE_ATTEMPTS; i += 1)
      await from().send({ login: operatorLogin, password: 'guess' }).expect(401);
    await from().send({ login: operatorLogin, password: printed.password }).expect(429);
    const dotted = `İ${operatorLogin.slice(1)}`;
    await from().send({ login: dotted, password: printed.password }).expect(401);
  });

  it('counts concurrent guesses for one login and address before any password is checked', async () => {
    const target = await createOperator(db, 'operator');
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        http()
          .post('/v1/auth/login')
          .set('X-Forwarded-For', '203.0.113.9')
          .send({ login: target.login, password: `guess-${i}` }),
      ),
    );
    expect(answers.filter((a) => a.status === 401)).toHaveLength(FREE_ATTEMPTS);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(30 - FREE_ATTEMPTS);
  });

  it('answers 401 on a read route without a token or with a malformed, forged, tampered, expired or foreign one', async () => {
    const operator = await createOperator(db, 'operator');
    const valid = await login(app, operator);
    const [keyId, body, signature] = valid.split('.');
    const escalated = Buffer.from(
      JSON.stringify({ ...tokenClaims(valid), role: 'admin' }),
      'base64url',
    ).toString('base64url');
    const forge = (claims: Record<string, unknown>, secret = TOKEN_SECRET, ttl = 60) =>
      forgeToken({ sub: operator.login, ...claims }, secret, ttl);
    const cases: [string, Record<string, string>, string][] = [
      ['no Authorization header', {}, 'missing bearer token'],
      [
        'another scheme',
        { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        'missing bearer token',
      ],
      ['an empty bearer token', { Authorization: 'Bearer ' }, 'missing bearer token'],
      ['garbage', { Authorization: 'Bearer not-a-token' }, 'invalid or expired token'],
      ['an extra segment', { Authorization: `Bearer ${valid}.x` }, 'invalid or expired token'],
      [
        'a tampered role',
        { Authorization: `Bearer ${keyId}.${escalated}.${signature}` },
        'invalid or expired token',
      ],
      [
        'a tampered signature',
        { Authorization: `Bearer ${keyId}.${body}.${signature.slice(0, -2)}AA` },
        'invalid or expired token',
      ],
      [
        'another signing key',
        {
          Authorization: `Bearer ${forge({ role: 'operator', aud: 'backoffice' }, 'x'.repeat(40))}`,
        },
        'invalid or expired token',
      ],
      [
        'an expired token',
        {
          Authorization: `Bearer ${forge({ role: 'operator', aud: 'backoffice' }, TOKEN_SECRET, -1)}`,
        },
        'invalid or expired token',
      ],
      [
        'an unknown role claim',
        { Authorization: `Bearer ${forge({ role: 'root', aud: 'backoffice' })}` },
        'invalid or expired token',
      ],
      [
        'no session epoch',
        { Authorization: `Bearer ${forge({ role: 'operator', aud: 'backoffice' })}` },
        'invalid or expired token',
      ],
      [
        'another session epoch',
        { Authorization: `Bearer ${forge({ role: 'operator', epoch: 7, aud: 'backoffice' })}` },
        'invalid or expired token',
      ],
      [
        'no role claim',
        { Authorization: `Bearer ${forge({ aud: 'backoffice' })}` },
        'invalid or expired token',
      ],
      [
        'a token of another audience',
        { Authorization: `Bearer ${forge({ role: 'admin', aud: 'cabinet' })}` },
        'invalid or expired token',
      ],
    ];
    for (const [name, headers, message] of cases) {
      const res = await http().get(readRoute).set(headers);
      expect({ name, status: res.status, message: res.body.message }).toEqual({
        name,
        status: 401,
        message,
      });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    await http().get(readRoute).set('Authorization', `Bearer ${valid}`).expect(404);
  });

  it('admits every role to the read routes', async () => {
    for (const role of ['operator', 'supervisor', 'admin'] as const) {
      const token = await login(app, await createOperator(db, role));
      for (const route of [readRoute, '/v1/accounts/0000000000/meters', '/v1/meters/NONE/readings'])
        await http().get(route).set('Authorization', `Bearer ${token}`).expect(404);
    }
  });

  it('enforces the role hierarchy operator < supervisor < admin with 403 below the required role', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [BackofficeApiModule.forRoot(backofficeEnv())],
      controllers: [RoleProbeController],
    }).compile();
    const probe = moduleRef.createNestApplication({ logger: false });
    await probe.init();
    try {
      const tokens = {
        operator: await login(app, await createOperator(db, 'operator')),
        supervisor: await login(app, await createOperator(db, 'supervisor')),
        admin: await login(app, await createOperator(db, 'admin')),
      };
      const status = async (route: string, token: string) =>
        (await request(probe.getHttpServer()).get(route).set('Authorization', `Bearer ${token}`))
          .status;
      expect({
        supervisorRoute: {
          operator: await status('/probe/supervisor', tokens.operator),
          supervisor: await status('/probe/supervisor', tokens.supervisor),
          admin: await status('/probe/supervisor', tokens.admin),
        },
        adminRoute: {
          operator: await status('/probe/admin', tokens.operator),
          supervisor: await status('/probe/admin', tokens.supervisor),
          admin: await status('/probe/admin', tokens.admin),
        },
      }).toEqual({
        supervisorRoute: { operator: 403, supervisor: 200, admin: 200 },
        adminRoute: { operator: 403, supervisor: 403, admin: 200 },
      });
      const refused = await request(probe.getHttpServer())
        .get('/probe/admin')
        .set('Authorization', `Bearer ${tokens.supervisor}`);
      expect(refused.body.message).toBe('this call needs the role admin or above');
    } finally {
      await probe.close();
    }
  });
});
