import type { INestApplication } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { CredentialRepository } from '../../apps/ctl/src/persistence/credential.repository';
import { type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import { registryRecord, seedMeters, uniqueAccount, uniqueSerial } from '../support/factories';
import { testDatabase } from '../support/infra';
import {
  MINUTE,
  type Resident,
  seedCharges,
  signIn,
  signUp,
  startCabinet,
  TestClock,
  TODAY,
  uniqueIp,
} from './cabinet-support';

jest.setTimeout(120_000);

/** Who calls: signed out in four ways, the account's holder, and two residents who are not. */
const CALLERS = [
  'no credentials',
  'a tampered token',
  'a logged-out session',
  'a resident whose sessions ctl ended',
  'the holder',
  'a resident of another account',
  'a resident whose link was revoked',
] as const;
type Caller = (typeof CALLERS)[number];
const SIGNED_OUT: Caller[] = CALLERS.slice(0, 4);
const NOT_HOLDERS: Caller[] = [
  'a resident of another account',
  'a resident whose link was revoked',
];

const csrf = (token: string) =>
  createHash('sha256').update(`cabinet-csrf:${token}`).digest('base64url');

interface Route {
  name: string;
  method: 'get' | 'post' | 'delete';
  path: () => string;
  body?: () => object;
  /** A page (session cookie, CSRF token on forms) rather than the JSON API (bearer token). */
  web?: true;
  /** Names the account in its path: only its holders may use it. */
  accountScoped: boolean;
  /** What the holder gets. */
  holder: number;
}

/**
 * docs/security.md and docs/residents-pages.md: every cabinet route is for a signed-in resident,
 * and every route that names an account for that account's holders only; a resident who does not
 * hold it is answered as if it did not exist (404), never shown or allowed to change it.
 */
describe('cabinet-api: every route against every kind of caller', () => {
  const clock = new TestClock();
  let mail: MailCatcher;
  let db: DataSource;
  let app: INestApplication;
  const tokens = new Map<Caller, string>();
  let account: string;
  let serial: string;
  let laterLink: string;
  let revokedLink: string;

  beforeAll(async () => {
    mail = await startMailCatcher();
    db = await testDatabase();
    app = await startCabinet(clock, mail.url);
    clock.set(TODAY);
    account = uniqueAccount();
    serial = uniqueSerial('Z');
    const other = uniqueAccount();
    await seedMeters(db, [
      registryRecord({ account_number: account, serial }),
      registryRecord({ account_number: other }),
    ]);
    const ours = { accountNumber: account, period: '2026-10', amountCharged: '4598.70' };
    const theirs = { accountNumber: other, period: '2026-10', amountCharged: '1111.11' };
    await seedCharges(db, [ours, theirs]);
    const link = async (resident: Resident) => {
      clock.advance(1000);
      await request(app.getHttpServer())
        .post('/v1/cabinet/accounts')
        .set(resident.auth)
        .set('X-Forwarded-For', uniqueIp())
        .send(ours)
        .expect(201);
    };
    const holder = await signUp(app, mail, ours);
    const stranger = await signUp(app, mail, theirs);
    const revoked = await signUp(app, mail, theirs);
    await link(revoked);
    const later = await signUp(app, mail, theirs);
    await link(later);
    const ended = await signUp(app, mail, theirs);
    await link(ended);
    await new CredentialRepository(db).endResidentSessions(ended.email.toLowerCase());

    const { body } = await request(app.getHttpServer())
      .get(`/v1/cabinet/accounts/${account}/links`)
      .set(holder.auth)
      .expect(200);
    // A second apart: the holder's own link, then those of `revoked`, `later` and `ended`.
    [, revokedLink, laterLink] = (body.links as { linkId: string; linkedAt: string }[])
      .sort((a, b) => Date.parse(a.linkedAt) - Date.parse(b.linkedAt))
      .map((l) => l.linkId);
    await request(app.getHttpServer())
      .delete(`/v1/cabinet/accounts/${account}/links/${revokedLink}`)
      .set(holder.auth)
      .expect(204);

    clock.advance(2 * MINUTE);
    const second = await signIn(app, mail, holder.email);
    await request(app.getHttpServer())
      .delete('/v1/cabinet/sessions/current')
      .set('Authorization', `Bearer ${second}`)
      .expect(204);

    tokens.set('a tampered token', `${holder.token.slice(0, -2)}xx`);
    tokens.set('a logged-out session', second);
    tokens.set('a resident whose sessions ctl ended', ended.token);
    tokens.set('the holder', holder.token);
    tokens.set('a resident of another account', stranger.token);
    tokens.set('a resident whose link was revoked', revoked.token);
  });

  afterAll(async () => {
    await app?.close();
    await mail?.close();
    await db?.destroy();
  });

  const reading = () => ({
    readings: [{ meterSerial: serial, values: [{ zone: 'T1', value: '1' }] }],
  });
  const accountPath = (tail = '') => `/v1/cabinet/accounts/${account}${tail}`;
  const ROUTES: Route[] = [
    {
      name: 'GET /v1/cabinet/accounts',
      method: 'get',
      path: () => '/v1/cabinet/accounts',
      accountScoped: false,
      holder: 200,
    },
    {
      name: 'GET …/links',
      method: 'get',
      path: () => accountPath('/links'),
      accountScoped: true,
      holder: 200,
    },
    {
      name: 'DELETE …/links/{unknown}',
      method: 'delete',
      path: () => accountPath(`/links/${randomUUID()}`),
      accountScoped: true,
      holder: 404,
    },
    {
      name: 'DELETE …/links/{a later link}',
      method: 'delete',
      path: () => accountPath(`/links/${laterLink}`),
      accountScoped: true,
      holder: 204,
    },
    {
      name: 'GET …/meters',
      method: 'get',
      path: () => accountPath('/meters'),
      accountScoped: true,
      holder: 200,
    },
    {
      name: 'GET …/readings',
      method: 'get',
      path: () => accountPath('/readings?period=2026-11'),
      accountScoped: true,
      holder: 200,
    },
    {
      name: 'POST …/readings',
      method: 'post',
      path: () => accountPath('/readings'),
      body: reading,
      accountScoped: true,
      holder: 202,
    },
    {
      name: 'page /accounts',
      method: 'get',
      path: () => '/accounts',
      web: true,
      accountScoped: false,
      holder: 200,
    },
    {
      name: 'page /accounts/{account}',
      method: 'get',
      path: () => `/accounts/${account}`,
      web: true,
      accountScoped: true,
      holder: 200,
    },
    {
      name: 'page …/readings (the results of a reading sent)',
      method: 'get',
      path: () => `/accounts/${account}/readings?r=${randomUUID()}:${encodeURIComponent(serial)}`,
      web: true,
      accountScoped: true,
      holder: 200,
    },
    {
      name: 'page …/meters/{serial}',
      method: 'get',
      path: () => `/accounts/${account}/meters/${encodeURIComponent(serial)}`,
      web: true,
      accountScoped: true,
      holder: 200,
    },
    {
      name: 'form POST …/readings, nothing filled in',
      method: 'post',
      path: () => `/accounts/${account}/readings`,
      body: () => ({}),
      web: true,
      accountScoped: true,
      holder: 422,
    },
  ];

  const expected = (route: Route, caller: Caller): number | string => {
    if (SIGNED_OUT.includes(caller)) return route.web ? '303 /login' : 401;
    if (route.accountScoped && NOT_HOLDERS.includes(caller)) return 404;
    return route.holder;
  };

  const cells = ROUTES.flatMap((route) => CALLERS.map((caller) => [route.name, caller, route]));

  it.each(cells as [string, Caller, Route][])('%s, by %s', async (_, caller, route) => {
    const token = tokens.get(caller);
    const server = request(app.getHttpServer());
    let call = server[route.method](route.path()).set('X-Forwarded-For', uniqueIp());
    if (token && route.web) call = call.set('Cookie', `__Host-cab_session=${token}`);
    else if (token) call = call.set('Authorization', `Bearer ${token}`);
    const body = route.body?.();
    const response = await (route.web && route.method === 'post'
      ? call.type('form').send({ ...body, _csrf: token ? csrf(token) : '' })
      : body
        ? call.send(body)
        : call);
    const status =
      response.status === 303
        ? `303 ${String(response.headers.location).split('?')[0]}`
        : response.status;
    expect(status).toEqual(expected(route, caller));
  });
});
