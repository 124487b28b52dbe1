import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import {
  csrfToken,
  readCookie,
  sessionCookieName,
} from '../../apps/backoffice-api/src/web/web-session';
import { testDatabase } from '../support/infra';
import { tokenClaims } from '../support/tokens';
import {
  createOperator,
  forgeToken,
  login,
  openSignInPage,
  startBackoffice,
  submitSignInForm,
} from './backoffice-app';

describe('backoffice-api: logging out ends the session on the server, on every instance', () => {
  let db: DataSource;
  let app: INestApplication;
  /** A second instance on the same database and key, as behind a balancer. */
  let replica: INestApplication;
  // A read route: 404 once a request gets past authentication, since the id was never submitted.
  const readRoute = `/v1/submissions/${randomUUID()}`;
  const status = async (instance: INestApplication, token: string) =>
    (await request(instance.getHttpServer()).get(readRoute).set('Authorization', `Bearer ${token}`))
      .status;

  /** Signs in through the web form and returns the session cookie as the browser would send it. */
  async function webSignIn(
    instance: INestApplication,
    credentials: { login: string; password: string },
    secure = false,
  ) {
    const res = await submitSignInForm(instance, credentials);
    expect(res.status).toBe(303);
    const setCookie = String(res.headers['set-cookie']);
    const name = sessionCookieName(secure);
    const token = readCookie(setCookie.split(';')[0], name) as string;
    return { setCookie, cookie: `${name}=${token}`, csrf: csrfToken(token), token };
  }

  const page = (instance: INestApplication, cookie: string) =>
    request(instance.getHttpServer()).get('/').set('Cookie', cookie);

  beforeAll(async () => {
    db = await testDatabase();
    app = await startBackoffice();
    replica = await startBackoffice();
  });

  afterAll(async () => {
    await replica?.close();
    await app?.close();
    await db?.destroy();
  });

  it('refuses a token after POST /v1/auth/logout on every instance, while the same operator’s other session goes on', async () => {
    const operator = await createOperator(db, 'operator');
    const ended = await login(app, operator);
    const other = await login(app, operator);
    expect(await Promise.all([status(app, ended), status(replica, ended)])).toEqual([404, 404]);

    await request(app.getHttpServer())
      .post('/v1/auth/logout')
      .set('Authorization', `Bearer ${ended}`)
      .expect(204);

    const refused = await request(replica.getHttpServer())
      .get(readRoute)
      .set('Authorization', `Bearer ${ended}`)
      .expect(401);
    expect(refused.body.message).toBe('invalid or expired token');
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    expect(await status(app, ended)).toBe(401);
    expect(await Promise.all([status(app, other), status(replica, other)])).toEqual([404, 404]);
    // Logging out twice is refused like any other use of the ended token.
    await request(replica.getHttpServer())
      .post('/v1/auth/logout')
      .set('Authorization', `Bearer ${ended}`)
      .expect(401);

    const [revoked] = await db.query(
      'SELECT realm, expires_at FROM revoked_sessions WHERE session_id = $1',
      [tokenClaims(ended).sid],
    );
    expect(revoked).toEqual({
      realm: 'operator',
      expires_at: new Date(tokenClaims(ended).exp * 1000),
    });
    const audit = await db.query(
      `SELECT action, subject FROM audit_log WHERE operator_login = $1 ORDER BY id`,
      [operator.login],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'auth.login',
      'auth.login',
      'auth.logout',
    ]);
  });

  it('answers 401 to a logout without a token', async () => {
    await request(app.getHttpServer()).post('/v1/auth/logout').expect(401);
  });

  it('refuses a signed token without a session id, or with one that is not a UUID', async () => {
    const operator = await createOperator(db, 'operator');
    const forge = (claims: Record<string, unknown>) =>
      forgeToken({ sub: operator.login, role: 'operator', epoch: 0, aud: 'backoffice', ...claims });
    expect(await status(app, forge({}))).toBe(401);
    expect(await status(app, forge({ sid: 'not-a-uuid' }))).toBe(401);
    expect(await status(app, forge({ sid: 42 }))).toBe(401);
    // The same claims with a session id pass, so the refusals above are for the session id alone.
    expect(await status(app, forge({ sid: randomUUID() }))).toBe(404);
  });

  it('ends the web session on sign-out: the cookie is refused afterwards on every instance, other sessions go on', async () => {
    const operator = await createOperator(db, 'operator');
    const ended = await webSignIn(app, operator);
    const otherWeb = await webSignIn(app, operator);
    const apiToken = await login(app, operator);
    await page(replica, ended.cookie).expect(200);

    const res = await request(app.getHttpServer())
      .post('/logout')
      .set('Cookie', ended.cookie)
      .type('form')
      .send({ _csrf: ended.csrf })
      .expect(303);
    expect(res.headers.location).toBe('/login');
    expect(String(res.headers['set-cookie'])).toBe(
      'bo_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
    );

    // A browser that kept the cookie (or someone who copied it) is sent to sign in again.
    for (const instance of [app, replica]) {
      const refused = await page(instance, ended.cookie).expect(303);
      expect(refused.headers.location).toBe('/login?next=%2F');
    }
    // The web UI and the API share tokens: the cookie's token is refused by the API too.
    expect(await status(replica, ended.token)).toBe(401);
    await page(replica, otherWeb.cookie).expect(200);
    expect(await status(replica, apiToken)).toBe(404);
  });

  it('does not end the session on a sign-out form without the anti-forgery value', async () => {
    const operator = await createOperator(db, 'operator');
    const session = await webSignIn(app, operator);
    await request(app.getHttpServer())
      .post('/logout')
      .set('Cookie', session.cookie)
      .type('form')
      .send({})
      .expect(403);
    await page(app, session.cookie).expect(200);
  });

  it('by default names the cookie __Host-bo_session and marks it Secure, and reads only that name', async () => {
    const secure = await startBackoffice({ BACKOFFICE_COOKIE_SECURE: undefined });
    try {
      const operator = await createOperator(db, 'operator');
      const session = await webSignIn(secure, operator, true);
      expect(session.setCookie).toMatch(
        /^__Host-bo_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/,
      );
      expect(session.setCookie).not.toMatch(/Domain=/i);
      await page(secure, session.cookie).expect(200);
      // The same token under the bare name (as a plain-HTTP page could set it) is not read.
      await page(secure, `bo_session=${session.token}`).expect(303);
      // The sign-in form's cookie too, and its bare name passes no sign-in form.
      const signInPage = await openSignInPage(secure);
      expect(signInPage.cookie).toMatch(/^__Host-bo_form=/);
      await request(secure.getHttpServer())
        .post('/login')
        .set('Cookie', signInPage.cookie.replace('__Host-', ''))
        .type('form')
        .send({ _csrf: signInPage.csrf, ...operator })
        .expect(403);

      const res = await request(secure.getHttpServer())
        .post('/logout')
        .set('Cookie', session.cookie)
        .type('form')
        .send({ _csrf: session.csrf })
        .expect(303);
      expect(String(res.headers['set-cookie'])).toBe(
        '__Host-bo_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure',
      );
      await page(secure, session.cookie).expect(303);
    } finally {
      await secure.close();
    }
  });
});
