import type { INestApplication } from '@nestjs/common';
import { keyId, tokenKeyId } from '@gw/platform';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { sessionCookieName } from '../../apps/backoffice-api/src/web/web-session';
import { testDatabase } from '../support/infra';
import { createOperator, login, startBackoffice } from './backoffice-app';

const OLD = randomBytes(32).toString('hex');
const NEW = randomBytes(32).toString('hex');

/**
 * The rotation of docs/security.md on instances sharing one database: the new key is first
 * accepted everywhere (as BACKOFFICE_TOKEN_SECRET_PREVIOUS), then signs (the old key becomes the
 * previous one), then the old key is removed.
 */
describe('backoffice-api: rotating BACKOFFICE_TOKEN_SECRET', () => {
  let db: DataSource;
  const instances: INestApplication[] = [];
  const readRoute = `/v1/submissions/${randomUUID()}`;
  const cookieName = sessionCookieName(false);

  const start = async (current: string, previous?: string) => {
    const instance = await startBackoffice({
      BACKOFFICE_TOKEN_SECRET: current,
      BACKOFFICE_TOKEN_SECRET_PREVIOUS: previous,
    });
    instances.push(instance);
    return instance;
  };
  /** 404 (no such submission) for a session that holds, 401 for one refused. */
  const api = async (instance: INestApplication, token: string) =>
    (await request(instance.getHttpServer()).get(readRoute).set('Authorization', `Bearer ${token}`))
      .status;
  /** 200 for the web UI's home page, 303 to the sign-in page for a cookie refused. */
  const web = async (instance: INestApplication, token: string) =>
    (await request(instance.getHttpServer()).get('/').set('Cookie', `${cookieName}=${token}`))
      .status;

  beforeAll(async () => {
    db = await testDatabase();
  });

  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await db?.destroy();
  });

  it('keeps sessions signed with the old key through the overlap, signs new ones with the new key id, and refuses the old key once removed', async () => {
    const operator = await createOperator(db, 'operator');
    const before = await start(OLD);
    const oldToken = await login(before, operator);
    expect(tokenKeyId(oldToken)).toBe(keyId(OLD));

    // Step 1: every instance accepts the new key before any signs with it.
    const introduced = await start(OLD, NEW);
    expect(tokenKeyId(await login(introduced, operator))).toBe(keyId(OLD));

    // Step 2: the new key signs; the old one still verifies.
    const during = await start(NEW, OLD);
    const newToken = await login(during, operator);
    expect(tokenKeyId(newToken)).toBe(keyId(NEW));
    expect(await api(during, oldToken)).toBe(404);
    expect(await web(during, oldToken)).toBe(200);
    // An instance not yet at step 2 takes the tokens of one that is, as in a rolling update.
    expect(await api(introduced, newToken)).toBe(404);
    expect(await web(introduced, newToken)).toBe(200);
    // An instance still without the new key would not: the reason for step 1.
    expect(await api(before, newToken)).toBe(401);

    // Step 3: the old key is gone once its tokens have expired; one that has not is refused.
    const after = await start(NEW);
    expect(await api(after, newToken)).toBe(404);
    expect(await web(after, newToken)).toBe(200);
    expect(await api(after, oldToken)).toBe(401);
    expect(await web(after, oldToken)).toBe(303);
  });
});
