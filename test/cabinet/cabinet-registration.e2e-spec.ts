import type { INestApplication } from '@nestjs/common';
import { createServer } from 'node:net';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { CabinetRetention } from '../../apps/cabinet-api/src/retention/cabinet-retention.service';
import { type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import { registryRecord, seedMeters, uniqueAccount } from '../support/factories';
import { testDatabase } from '../support/infra';
import { expectEveryOperationRateLimited } from '../support/openapi';
import {
  lastCode,
  MINUTE,
  type Resident,
  seedCharges,
  signUp,
  startCabinet,
  TestClock,
  TODAY,
  uniqueEmail,
  uniqueIp,
  uniquePhone,
} from './cabinet-support';

const MISMATCH = {
  statusCode: 422,
  error: 'PAYMENT_DOCUMENT_MISMATCH',
  message:
    'the account number, period and amount do not match any of the last three payment documents',
};

describe('cabinet-api: registration by payment document and e-mail sign-in', () => {
  const clock = new TestClock();
  const written: string[] = [];
  let mail: MailCatcher;
  let db: DataSource;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  /** An account whose last three payment documents are imported, as the billing system sends them. */
  async function chargedAccount(amount = '4598.70'): Promise<string> {
    const accountNumber = uniqueAccount();
    await seedCharges(db, [
      { accountNumber, period: '2026-07', amountCharged: '4100.00' },
      { accountNumber, period: '2026-08', amountCharged: '4321.55' },
      { accountNumber, period: '2026-09', amountCharged: '4410.02' },
      { accountNumber, period: '2026-10', amountCharged: amount },
      { accountNumber, period: '2026-11', amountCharged: '4700.00' },
    ]);
    return accountNumber;
  }

  const register = (body: Record<string, unknown>, ip = uniqueIp()) =>
    http().post('/v1/cabinet/registrations').set('X-Forwarded-For', ip).send(body);

  const details = (accountNumber: string, overrides: Record<string, unknown> = {}) => ({
    accountNumber,
    period: '2026-10',
    amountCharged: '4598.70',
    email: uniqueEmail(),
    phone: uniquePhone(),
    ...overrides,
  });

  const requestSignIn = (email: string) => http().post('/v1/cabinet/sessions').send({ email });
  const confirmSignIn = (email: string, code: string) =>
    http().post('/v1/cabinet/sessions/confirm').send({ email, code });

  beforeAll(async () => {
    // Everything the app writes to the console, checked for personal data by the last test; its
    // JSON log lines are kept out of the test output, anything else passes through.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      jest.spyOn(stream, 'write').mockImplementation(((
        chunk: string | Uint8Array,
        ...rest: never[]
      ) => {
        written.push(String(chunk));
        return String(chunk).startsWith('{"level"') || write(chunk, ...rest);
      }) as typeof stream.write);
    }
    mail = await startMailCatcher();
    db = await testDatabase();
    app = await startCabinet(clock, mail.url, { LOG_LEVEL: 'log' });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
    await mail?.close();
    await db?.destroy();
  });

  beforeEach(() => clock.set(TODAY));

  it('registers with a payment document and signs in with the code read from the mail', async () => {
    const accountNumber = await chargedAccount();
    const email = uniqueEmail();
    const created = await register(details(accountNumber, { email, phone: '8 (916) 555-12-34' }));
    expect(created.status).toBe(202);
    expect(created.body).toEqual({ registrationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const registrationMail = mail.messages.at(-1);
    expect(registrationMail).toMatchObject({
      to: [email],
      subject: 'Код подтверждения регистрации в личном кабинете',
    });
    const code = lastCode(mail, email);
    expect(registrationMail?.text).toContain(
      `Код подтверждения регистрации в личном кабинете: ${code}`,
    );
    expect(registrationMail?.raw).toContain('<no-reply@cabinet.localhost>');

    const confirmed = await http()
      .post(`/v1/cabinet/registrations/${created.body.registrationId}/confirm`)
      .send({ code })
      .expect(200);
    expect(confirmed.body).toEqual({
      token: expect.any(String),
      expiresAt: '2026-11-20T22:00:00.000+03:00',
    });
    const accounts = await http()
      .get('/v1/cabinet/accounts')
      .set('Authorization', `Bearer ${confirmed.body.token}`)
      .expect(200);
    expect(accounts.body).toEqual({
      accounts: [{ accountNumber, linkedAt: '2026-11-20T10:00:00.000+03:00' }],
    });

    // The registration is used up; only an HMAC of the code was ever stored.
    await http()
      .post(`/v1/cabinet/registrations/${created.body.registrationId}/confirm`)
      .send({ code })
      .expect(404, {
        statusCode: 404,
        error: 'REGISTRATION_NOT_FOUND',
        message: 'no such registration waiting for confirmation; register again',
      });
    const [stored] = await db.query(
      `SELECT r.email, r.phone, c.code_hash FROM residents r
         JOIN one_time_codes c ON c.subject = $1 WHERE r.email = $2`,
      [created.body.registrationId, email],
    );
    expect(stored).toEqual({
      email,
      phone: '+79165551234',
      code_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(stored.code_hash).not.toContain(code);

    // Sign-in later, by e-mail (any case) and a fresh code.
    clock.advance(2 * MINUTE);
    await requestSignIn(email.toUpperCase()).expect(202, { expiresInSeconds: 600 });
    const signInMail = mail.messages.at(-1);
    expect(signInMail).toMatchObject({ to: [email], subject: 'Код для входа в личный кабинет' });
    const signInCode = lastCode(mail, email);
    const session = await confirmSignIn(email, signInCode).expect(200);
    await http()
      .get('/v1/cabinet/accounts')
      .set('Authorization', `Bearer ${session.body.token}`)
      .expect(200, accounts.body);
    await confirmSignIn(email, signInCode).expect(422, {
      statusCode: 422,
      error: 'CODE_INVALID',
      message: 'the code is wrong',
    });
  });

  it('accepts the amount written with a comma or without kopecks', async () => {
    const accountNumber = await chargedAccount('4598.00');
    await register(details(accountNumber, { amountCharged: '4598' })).expect(202);
    await register(details(accountNumber, { amountCharged: '4598,00' })).expect(202);
    await register(details(accountNumber, { amountCharged: 4598 })).expect(202);
  });

  it('gives one and the same 422 for a wrong amount, an old period, an unknown account and more', async () => {
    const accountNumber = await chargedAccount();
    const inRegistry = uniqueAccount();
    await seedMeters(db, [registryRecord({ account_number: inRegistry })]);
    const ip = uniqueIp();
    const cases = [
      ['a wrong amount', details(accountNumber, { amountCharged: '4598.71' })],
      ['another period’s amount', details(accountNumber, { amountCharged: '4410.02' })],
      ['an old period', details(accountNumber, { period: '2026-07', amountCharged: '4100.00' })],
      [
        'this month (not issued yet)',
        details(accountNumber, { period: '2026-11', amountCharged: '4700.00' }),
      ],
      ['a future period', details(accountNumber, { period: '2026-12' })],
      ['an unknown account', details(uniqueAccount())],
      ['an account without charges', details(inRegistry)],
    ] as const;
    for (const [name, body] of cases) {
      const res = await register(body, ip);
      expect({ name, status: res.status, body: res.body }).toEqual({
        name,
        status: 422,
        body: MISMATCH,
      });
    }
    expect(mail.messages.filter((m) => cases.some(([, b]) => m.to.includes(b.email)))).toEqual([]);
  });

  it('answers malformed details with a 400 that names the field', async () => {
    const accountNumber = await chargedAccount();
    const cases: [Record<string, unknown>, string][] = [
      [{ accountNumber: '12345' }, 'accountNumber must be 10 digits'],
      [{ period: '10.2026' }, 'period must be a month YYYY-MM'],
      [{ period: '2026-13' }, 'period must be a month YYYY-MM'],
      [
        { amountCharged: '4598.705' },
        'amountCharged must be an amount in rubles such as "4598.70"',
      ],
      [{ amountCharged: null }, 'amountCharged must be an amount in rubles such as "4598.70"'],
      [{ email: 'not-an-address' }, 'email must be an e-mail address'],
      [{ phone: '12-34' }, 'phone must be a phone number such as +79161234567'],
    ];
    for (const [overrides, message] of cases) {
      const res = await register(details(accountNumber, overrides));
      expect({ overrides, status: res.status, message: res.body.message }).toEqual({
        overrides,
        status: 400,
        message: [message],
      });
    }
    await http()
      .post('/v1/cabinet/registrations')
      .set('Content-Type', 'application/json')
      .send('{"accountNumber":')
      .expect(400);
    await http()
      .post('/v1/cabinet/registrations')
      .send([details(accountNumber)])
      .expect(400);
  });

  it('limits payment-document checks per account', async () => {
    const accountNumber = await chargedAccount();
    for (let i = 0; i < 5; i += 1)
      await register(details(accountNumber, { amountCharged: `1${i}.00` })).expect(422);
    const locked = await register(details(accountNumber)).expect(429);
    expect(locked.body).toEqual({
      statusCode: 429,
      error: 'TOO_MANY_ATTEMPTS',
      message: 'too many payment-document checks; wait before trying again',
    });
    expect(Number(locked.headers['retry-after'])).toBe(3600);
    clock.advance(30 * MINUTE);
    expect(
      Number((await register(details(accountNumber)).expect(429)).headers['retry-after']),
    ).toBe(1800);
    clock.advance(30 * MINUTE + 1000);
    await register(details(accountNumber)).expect(202);
  });

  it('limits payment-document checks per client IP', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 20; i += 1) await register(details(uniqueAccount()), ip).expect(422);
    const accountNumber = await chargedAccount();
    await register(details(accountNumber), ip).expect(429);
    await register(details(accountNumber), uniqueIp()).expect(202);
  });

  it('lets a code expire after 10 minutes', async () => {
    const accountNumber = await chargedAccount();
    const body = details(accountNumber);
    const late = await register(body).expect(202);
    clock.advance(10 * MINUTE);
    await http()
      .post(`/v1/cabinet/registrations/${late.body.registrationId}/confirm`)
      .send({ code: lastCode(mail, body.email) })
      .expect(422, {
        statusCode: 422,
        error: 'CODE_EXPIRED',
        message: 'the code has expired; request a new one',
      });

    clock.set(TODAY);
    const other = details(accountNumber);
    const inTime = await register(other).expect(202);
    clock.advance(10 * MINUTE - 1000);
    await http()
      .post(`/v1/cabinet/registrations/${inTime.body.registrationId}/confirm`)
      .send({ code: lastCode(mail, other.email) })
      .expect(200);
  });

  it('answers 404 for a registration older than 24 hours, before the sweep deletes it', async () => {
    const accountNumber = await chargedAccount();
    const body = details(accountNumber);
    const { registrationId } = (await register(body).expect(202)).body;
    clock.advance(24 * 60 * MINUTE + 1000);
    await http()
      .post(`/v1/cabinet/registrations/${registrationId}/confirm`)
      .send({ code: lastCode(mail, body.email) })
      .expect(404, {
        statusCode: 404,
        error: 'REGISTRATION_NOT_FOUND',
        message: 'no such registration waiting for confirmation; register again',
      });
  });

  it('takes the registration id in any case: the right code confirms it', async () => {
    const accountNumber = await chargedAccount();
    const body = details(accountNumber);
    const { registrationId } = (await register(body).expect(202)).body;
    await http()
      .post(`/v1/cabinet/registrations/${(registrationId as string).toUpperCase()}/confirm`)
      .send({ code: lastCode(mail, body.email) })
      .expect(200);
  });

  it('allows five attempts per code, the right one included', async () => {
    const accountNumber = await chargedAccount();
    const body = details(accountNumber);
    const { registrationId } = (await register(body).expect(202)).body;
    const code = lastCode(mail, body.email);
    const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
    const confirm = (c: string) =>
      http().post(`/v1/cabinet/registrations/${registrationId}/confirm`).send({ code: c });
    for (let i = 0; i < 4; i += 1)
      await confirm(wrong)
        .expect(422)
        .expect({ statusCode: 422, error: 'CODE_INVALID', message: 'the code is wrong' });
    const exhausted = {
      statusCode: 422,
      error: 'CODE_ATTEMPTS_EXHAUSTED',
      message: 'too many wrong codes; this code no longer works, request a new one',
    };
    await confirm(wrong).expect(422, exhausted);
    await confirm(code).expect(422, exhausted);
    await confirm('12345').expect(400);

    // Sign-in: a new code replaces the spent one.
    const resident = await signUp(app, mail, {
      accountNumber,
      period: '2026-10',
      amountCharged: '4598.70',
    });
    clock.advance(MINUTE);
    await requestSignIn(resident.email).expect(202);
    const first = lastCode(mail, resident.email);
    const firstWrong = String((Number(first) + 1) % 1000000).padStart(6, '0');
    for (let i = 0; i < 5; i += 1) await confirmSignIn(resident.email, firstWrong).expect(422);
    await confirmSignIn(resident.email, first).expect(422, exhausted);
    clock.advance(MINUTE);
    await requestSignIn(resident.email).expect(202);
    const second = lastCode(mail, resident.email);
    if (second !== first) await confirmSignIn(resident.email, first).expect(422);
    await confirmSignIn(resident.email, second).expect(200);
  });

  it('limits how often codes are mailed to an address', async () => {
    const accountNumber = await chargedAccount();
    const resident = await signUp(app, mail, {
      accountNumber,
      period: '2026-10',
      amountCharged: '4598.70',
    });
    const mailed = () => mail.messages.filter((m) => m.to.includes(resident.email)).length;
    const before = mailed();

    const tooSoon = await requestSignIn(resident.email).expect(429);
    expect(tooSoon.body).toEqual({
      statusCode: 429,
      error: 'TOO_MANY_CODES',
      message:
        'too many codes asked for this address or from this client; wait before asking again',
    });
    expect(Number(tooSoon.headers['retry-after'])).toBe(60);
    clock.advance(40 * 1000);
    expect(Number((await requestSignIn(resident.email).expect(429)).headers['retry-after'])).toBe(
      20,
    );
    expect(mailed()).toBe(before);

    // Five an hour, the registration code included.
    for (let i = 0; i < 4; i += 1) {
      clock.advance(MINUTE);
      await requestSignIn(resident.email).expect(202);
    }
    clock.advance(MINUTE);
    const hourly = await requestSignIn(resident.email).expect(429);
    expect(Number(hourly.headers['retry-after'])).toBe(3600 - 5 * 60 - 40);
    expect(mailed()).toBe(before + 4);
  });

  it('answers a sign-in for an unknown address like any other, telling only its mailbox', async () => {
    const email = uniqueEmail();
    await requestSignIn(email).expect(202, { expiresInSeconds: 600 });
    expect(mail.messages.at(-1)).toMatchObject({ to: [email], subject: 'Вход в личный кабинет' });
    expect(mail.messages.at(-1)?.text).toContain('не зарегистрирован');
    expect(mail.messages.at(-1)?.text).not.toMatch(/\d{6}/);
    await confirmSignIn(email, '123456').expect(422, {
      statusCode: 422,
      error: 'CODE_INVALID',
      message: 'the code is wrong',
    });
    await requestSignIn(email).expect(429);
    await requestSignIn('nobody').expect(400, {
      statusCode: 400,
      message: ['email must be an e-mail address'],
      error: 'Bad Request',
    });
  });

  it('answers every failed confirmation alike, whether or not the address has a cabinet', async () => {
    const resident = await signUp(app, mail, {
      accountNumber: await chargedAccount(),
      period: '2026-10',
      amountCharged: '4598.70',
    });
    // The answers to a run of tries with a code other than the one mailed (if any was).
    const errorsFor = async (email: string, mailedCode: () => string) => {
      const errors: string[] = [];
      const confirm = async (code: string) =>
        errors.push((await confirmSignIn(email, code).expect(422)).body.error);
      clock.set(TODAY);
      clock.advance(MINUTE);
      await confirm('000000');
      await requestSignIn(email).expect(202);
      const wrong = String((Number(mailedCode()) + 1) % 1000000).padStart(6, '0');
      for (let i = 0; i < 6; i += 1) await confirm(wrong);
      clock.advance(MINUTE);
      await requestSignIn(email).expect(202);
      clock.advance(10 * MINUTE);
      await confirm(wrong);
      return errors;
    };

    const registered = await errorsFor(resident.email, () => lastCode(mail, resident.email));
    expect(registered).toEqual([
      'CODE_INVALID',
      ...Array(4).fill('CODE_INVALID'),
      'CODE_ATTEMPTS_EXHAUSTED',
      'CODE_ATTEMPTS_EXHAUSTED',
      'CODE_EXPIRED',
    ]);
    expect(await errorsFor(uniqueEmail(), () => '000000')).toEqual(registered);
  });

  describe('accounts of a resident', () => {
    let alice: Resident;
    let bob: Resident;
    let alicesAccount: string;
    let bobsAccount: string;

    beforeAll(async () => {
      clock.set(TODAY);
      alicesAccount = await chargedAccount();
      bobsAccount = await chargedAccount('1200.00');
      await seedMeters(db, [
        registryRecord({ account_number: alicesAccount }),
        registryRecord({ account_number: bobsAccount }),
      ]);
      alice = await signUp(app, mail, {
        accountNumber: alicesAccount,
        period: '2026-10',
        amountCharged: '4598.70',
      });
      bob = await signUp(app, mail, {
        accountNumber: bobsAccount,
        period: '2026-08',
        amountCharged: '4321.55',
      });
    });

    it('gives 404 for another resident’s account, an unknown one and a malformed one', async () => {
      await http().get(`/v1/cabinet/accounts/${alicesAccount}/meters`).set(alice.auth).expect(200);
      const notFound = {
        statusCode: 404,
        error: 'ACCOUNT_NOT_FOUND',
        message: 'no such account in this cabinet',
      };
      for (const account of [bobsAccount, uniqueAccount(), '12ab']) {
        await http()
          .get(`/v1/cabinet/accounts/${account}/meters`)
          .set(alice.auth)
          .expect(404, notFound);
        await http()
          .get(`/v1/cabinet/accounts/${account}/readings?period=2026-11`)
          .set(alice.auth)
          .expect(404, notFound);
        await http()
          .post(`/v1/cabinet/accounts/${account}/readings`)
          .set(alice.auth)
          .send({ readings: [{ meterSerial: 'X-1', values: [{ zone: 'T1', value: '1' }] }] })
          .expect(404, notFound);
      }
    });

    it('requires a valid, unexpired session token', async () => {
      const url = `/v1/cabinet/accounts/${alicesAccount}/meters`;
      // Each 401 names the scheme it wants (RFC 9110, 11.6.1).
      await http().get(url).expect(401).expect('WWW-Authenticate', 'Bearer');
      await http()
        .get(url)
        .set('Authorization', 'Bearer nonsense')
        .expect(401)
        .expect('WWW-Authenticate', 'Bearer');
      await http().get(url).set('Authorization', `Bearer ${alice.token}x`).expect(401);
      await http()
        .get('/v1/cabinet/accounts')
        .set('Authorization', `Basic ${alice.token}`)
        .expect(401)
        .expect('WWW-Authenticate', 'Bearer');
      clock.advance(12 * 60 * MINUTE - 1000);
      await http().get(url).set(alice.auth).expect(200);
      clock.advance(1000);
      await http().get(url).set(alice.auth).expect(401, {
        statusCode: 401,
        message: 'a valid session token is required: Authorization: Bearer <token>',
        error: 'Unauthorized',
      });
    });

    it('lets several residents link one account, and a resident link one more', async () => {
      const carol = await signUp(app, mail, {
        accountNumber: alicesAccount,
        period: '2026-09',
        amountCharged: '4410.02',
      });
      await http().get(`/v1/cabinet/accounts/${alicesAccount}/meters`).set(carol.auth).expect(200);
      await http().get(`/v1/cabinet/accounts/${alicesAccount}/meters`).set(alice.auth).expect(200);
      await http().get(`/v1/cabinet/accounts/${bobsAccount}/meters`).set(carol.auth).expect(404);

      const link = (body: Record<string, unknown>) =>
        http()
          .post('/v1/cabinet/accounts')
          .set(carol.auth)
          .set('X-Forwarded-For', uniqueIp())
          .send(body);
      await link({
        accountNumber: bobsAccount,
        period: '2026-10',
        amountCharged: '1200.01',
      }).expect(422, MISMATCH);
      await link({ accountNumber: bobsAccount, period: '2026-10', amountCharged: '1200' }).expect(
        201,
        {
          accountNumber: bobsAccount,
          linkedAt: '2026-11-20T10:00:00.000+03:00',
        },
      );
      clock.advance(MINUTE);
      await link({
        accountNumber: bobsAccount,
        period: '2026-09',
        amountCharged: '4410.02',
      }).expect(201, {
        accountNumber: bobsAccount,
        linkedAt: '2026-11-20T10:00:00.000+03:00',
      });
      const accounts = await http().get('/v1/cabinet/accounts').set(carol.auth).expect(200);
      expect(accounts.body.accounts.map((a: { accountNumber: string }) => a.accountNumber)).toEqual(
        [alicesAccount, bobsAccount].sort(),
      );
      await http().get(`/v1/cabinet/accounts/${bobsAccount}/meters`).set(carol.auth).expect(200);
      await http().get(`/v1/cabinet/accounts/${bobsAccount}/meters`).set(bob.auth).expect(200);
      await http().post('/v1/cabinet/accounts').send({}).expect(401);
    });
  });

  it('forgets unconfirmed registrations and spent codes after their retention time', async () => {
    const accountNumber = await chargedAccount();
    const body = details(accountNumber);
    const { registrationId } = (await register(body).expect(202)).body;
    const pending = () =>
      db.query('SELECT count(*)::int AS n FROM resident_registrations WHERE id = $1', [
        registrationId,
      ]);
    expect(await pending()).toEqual([{ n: 1 }]);
    clock.advance(25 * 60 * MINUTE);
    const swept = await app.get(CabinetRetention).sweep();
    expect(swept.registrations).toBeGreaterThanOrEqual(1);
    expect(swept.codes).toBeGreaterThanOrEqual(1);
    expect(await pending()).toEqual([{ n: 0 }]);
    const codes = await db.query(
      'SELECT count(*)::int AS n FROM one_time_codes WHERE subject = $1',
      [registrationId],
    );
    expect(codes).toEqual([{ n: 0 }]);
    await http()
      .post(`/v1/cabinet/registrations/${registrationId}/confirm`)
      .send({ code: lastCode(mail, body.email) })
      .expect(404);
  });

  it('answers 503 when the mail server is down, without logging the address', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const broken = await startCabinet(clock, `smtp://127.0.0.1:${closedPort}`, {
      LOG_LEVEL: 'log',
    });
    try {
      const email = uniqueEmail();
      const res = await request(broken.getHttpServer())
        .post('/v1/cabinet/sessions')
        .send({ email })
        .expect(503);
      expect(res.body).toEqual({
        statusCode: 503,
        error: 'MAIL_UNAVAILABLE',
        message: 'the code could not be sent by e-mail; try again later',
      });
      expect(res.headers['retry-after']).toBe('30');
      expect(written.join('')).toContain('e-mail not sent');
      // Nothing was sent: asking again is not refused as a code sent too recently.
      await request(broken.getHttpServer())
        .post('/v1/cabinet/sessions')
        .send({ email })
        .expect(503);
    } finally {
      await broken.close();
    }
  });

  it('serves health and documents every endpoint', async () => {
    await http().get('/health/live').expect(200);
    const docs = await http().get('/docs-json').expect(200);
    expect(
      Object.keys(docs.body.paths)
        .filter((p) => p.startsWith('/v1/'))
        .sort(),
    ).toEqual([
      '/v1/cabinet/accounts',
      '/v1/cabinet/accounts/{accountNumber}/links',
      '/v1/cabinet/accounts/{accountNumber}/links/{linkId}',
      '/v1/cabinet/accounts/{accountNumber}/meters',
      '/v1/cabinet/accounts/{accountNumber}/readings',
      '/v1/cabinet/registrations',
      '/v1/cabinet/registrations/{registrationId}/confirm',
      '/v1/cabinet/sessions',
      '/v1/cabinet/sessions/confirm',
      '/v1/cabinet/sessions/current',
    ]);
    // What each operation answers, as integrators generate clients from it: a JSON body's 400
    // (a malformed field) and 415 (not JSON), a query's 400, and 503 where a mail must go out;
    // confirming a registration links its account, so it answers as linking does (403, 503).
    const documented = (method: string, path: string) =>
      Object.keys(docs.body.paths[`/v1/cabinet/${path}`][method].responses).sort();
    expect({
      register: documented('post', 'registrations'),
      confirmRegistration: documented('post', 'registrations/{registrationId}/confirm'),
      signIn: documented('post', 'sessions'),
      confirmSignIn: documented('post', 'sessions/confirm'),
      link: documented('post', 'accounts'),
      submit: documented('post', 'accounts/{accountNumber}/readings'),
      history: documented('get', 'accounts/{accountNumber}/readings'),
    }).toEqual({
      register: expect.arrayContaining(['202', '400', '415', '503']),
      confirmRegistration: expect.arrayContaining(['200', '400', '403', '415', '503']),
      signIn: expect.arrayContaining(['202', '400', '415', '503']),
      confirmSignIn: expect.arrayContaining(['200', '400', '415']),
      link: expect.arrayContaining(['201', '400', '415', '503']),
      submit: expect.arrayContaining(['202', '400', '415', '503']),
      history: expect.arrayContaining(['200', '400']),
    });
    // The per-address gate runs before every route, so every operation may answer its 429.
    expectEveryOperationRateLimited(docs.body, '/v1/');
    // Each refusal a submission of readings may meet (integrators.md, Errors).
    expect(
      docs.body.paths['/v1/cabinet/accounts/{accountNumber}/readings'].post.responses['422']
        .description,
    ).toEqual(expect.stringMatching(/METER_NOT_ON_ACCOUNT.*IDEMPOTENCY_KEY_REUSED/));
    expect(docs.body.paths['/v1/cabinet/sessions'].post.responses['429'].description).toMatch(
      /^TOO_MANY_CODES, or TOO_MANY_REQUESTS/,
    );
    // Session tokens are the cabinet's own, not JWTs.
    expect(docs.body.components.securitySchemes.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      description: expect.stringContaining('<key id>.<payload>.<signature>'),
    });
  });

  it('never writes an e-mail address or a phone number to the logs', async () => {
    const logs = written.join('');
    expect(logs).toContain('Nest application successfully started');
    expect(logs).not.toMatch(/resident-[a-z0-9]+-\d+@example\.ru/i);
    expect(logs).not.toMatch(/\+7916\d{7}/);
    expect(logs).not.toContain('916) 555');
  });
});
