import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { testDatabase } from '../support/infra';
import { scryptRuns } from '../support/password-metrics';
import { createOperator, login, startBackoffice, uniqueLogin } from './backoffice-app';

const BURST = 5;

/** Protection before authentication: nothing costly runs for a client over its rate (ASVS 11.1.4). */
describe('backoffice-api: protection before authentication', () => {
  let db: DataSource;
  let app: INestApplication | undefined;
  const http = () => request(app!.getHttpServer());
  const guess = (ip: string, i: number) =>
    http()
      .post('/v1/auth/login')
      .set('X-Forwarded-For', ip)
      .send({ login: uniqueLogin(), password: `guess-${i}` });

  beforeAll(async () => {
    db = await testDatabase();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('refuses a flood from one client IP with 429 before any password is hashed, and serves other addresses', async () => {
    app = await startBackoffice({
      CLIENT_RATE_LIMIT_PER_SECOND: '1',
      CLIENT_RATE_LIMIT_BURST: String(BURST),
      TRUSTED_PROXIES: '127.0.0.0/8,::1',
    });
    const operator = await createOperator(db, 'operator');
    // The decoy hash unknown logins are checked against is made once, by the first of them.
    await guess('198.51.100.51', 0).expect(401);
    const before = await scryptRuns();
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => guess('203.0.113.50', i)),
    );
    const refused = answers.filter((a) => a.status === 429);
    // The burst, plus a token a second while the flood lasts.
    const passed = answers.length - refused.length;
    expect(passed).toBeLessThanOrEqual(BURST + Math.ceil((Date.now() - started) / 1000));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(passed);
    expect(refused[0].body).toEqual({
      statusCode: 429,
      error: 'TOO_MANY_REQUESTS',
      message: 'too many requests from this address; retry later',
    });
    expect(Number(refused[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await scryptRuns()) - before).toBeLessThanOrEqual(passed);

    await http()
      .post('/v1/auth/login')
      .set('X-Forwarded-For', '198.51.100.50')
      .send(operator)
      .expect(200);
    // Health probes are never refused.
    await http().get('/health/live').set('X-Forwarded-For', '203.0.113.50').expect(200);
  });

  it('counts every address of one IPv6 /64 as one client, and serves the next /64', async () => {
    app = await startBackoffice({
      CLIENT_RATE_LIMIT_PER_SECOND: '1',
      CLIENT_RATE_LIMIT_BURST: String(BURST),
      TRUSTED_PROXIES: '127.0.0.0/8,::1',
    });
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => guess(`2001:db8:1:2::${(i + 1).toString(16)}`, i)),
    );
    const passed = answers.filter((a) => a.status === 401).length;
    expect(passed).toBeLessThanOrEqual(BURST + Math.ceil((Date.now() - started) / 1000));
    expect(answers.filter((a) => a.status === 429)).toHaveLength(answers.length - passed);
    await guess('2001:db8:1:3::1', 0).expect(401);
  });

  it('answers a page over the rate with a page (429), the API with JSON', async () => {
    app = await startBackoffice({
      CLIENT_RATE_LIMIT_PER_SECOND: '1',
      CLIENT_RATE_LIMIT_BURST: '2',
      TRUSTED_PROXIES: '127.0.0.0/8,::1',
    });
    const get = (path: string) => http().get(path).set('X-Forwarded-For', '203.0.113.60');
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await get('/login'));
    const page = answers[answers.length - 1];
    expect(page.status).toBe(429);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(Number(page.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(page.text).toContain('<h1>Слишком много запросов</h1>');

    const api = await get('/v1/submissions');
    expect(api.status).toBe(429);
    expect(api.headers['content-type']).toMatch(/^application\/json/);
    expect(api.body).toEqual({
      statusCode: 429,
      error: 'TOO_MANY_REQUESTS',
      message: 'too many requests from this address; retry later',
    });
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    app = await startBackoffice({
      CLIENT_RATE_LIMIT_PER_SECOND: '1',
      CLIENT_RATE_LIMIT_BURST: String(BURST),
    });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => guess(`203.0.113.${100 + i}`, i)),
    );
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(20 - BURST - 3);
  });

  it('answers 503 with Retry-After when more passwords wait to be checked than allowed', async () => {
    app = await startBackoffice({
      PASSWORD_CHECK_CONCURRENCY: '1',
      PASSWORD_CHECK_MAX_WAITING: '1',
      TRUSTED_PROXIES: '127.0.0.0/8,::1',
    });
    const operator = await createOperator(db, 'operator');
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => guess(`192.0.2.${i + 1}`, i)),
    );
    const busy = answers.filter((a) => a.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0].body).toMatchObject({ statusCode: 503, error: 'PASSWORD_CHECKS_BUSY' });
    expect(busy[0].headers['retry-after']).toBe('1');
    expect(answers.filter((a) => a.status === 401).length).toBeGreaterThanOrEqual(2);
    await login(app, operator);
  });
});
