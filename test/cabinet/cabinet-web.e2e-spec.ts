import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import { registryRecord, seedMeters, uniqueAccount, uniqueSerial } from '../support/factories';
import { testDatabase } from '../support/infra';
import { answersWhileLookupFails } from '../support/lookup-outage';
import { proxyDatabase } from '../support/tcp-proxy';
import { startProcessor } from '../support/processor';
import {
  lastCode,
  MINUTE,
  seedCharges,
  startCabinet,
  TestClock,
  TODAY,
  uniqueEmail,
  uniqueIp,
  uniquePhone,
} from './cabinet-support';
import { csrfOf, hiddenFields, WebClient } from './cabinet-web-client';

/** A resident registered through the pages, with their account and its one cold-water meter. */
interface WebResident {
  web: WebClient;
  email: string;
  accountNumber: string;
  serial: string;
}

describe('cabinet-api: the residents’ pages over HTTP, the real broker and PostgreSQL', () => {
  const clock = new TestClock();
  let mail: MailCatcher;
  let db: DataSource;
  let app: INestApplication;
  let processor: INestApplication;
  let alice: WebResident;
  let bob: WebResident;

  const document = async () => {
    const accountNumber = uniqueAccount();
    const serial = uniqueSerial('W');
    await seedMeters(db, [registryRecord({ account_number: accountNumber, serial })]);
    await seedCharges(db, [{ accountNumber, period: '2026-09', amountCharged: '3120.44' }]);
    return { accountNumber, serial };
  };

  /** Registration through the pages, down to the session cookie. */
  const register = async (): Promise<WebResident> => {
    const { accountNumber, serial } = await document();
    const web = new WebClient(app);
    const email = uniqueEmail();
    const created = await web.submit('/register', '/register', {
      accountNumber,
      period: '2026-09',
      amountCharged: '3 120,44',
      email,
      phone: uniquePhone(),
    });
    expect(created.status).toBe(303);
    const confirm = created.headers.location as string;
    const signedIn = await web.submit(confirm, confirm, { code: lastCode(mail, email) });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/accounts?done=registered');
    return { web, email, accountNumber, serial };
  };

  /** Sends a readings form and follows it to its result page until every reading is decided. */
  const decided = async (web: WebClient, accountNumber: string, form: Record<string, string>) => {
    const passed = await web.post(`/accounts/${accountNumber}/readings`, form);
    expect(passed.status).toBe(303);
    const result = passed.headers.location as string;
    let shown = await web.get(result);
    for (let i = 0; i < 10 && shown.headers.refresh; i += 1) shown = await web.get(result);
    expect(shown.headers.refresh).toBeUndefined();
  };

  /** Every reading stored for an account, whatever its decision. */
  const storedReadings = (accountNumber: string) =>
    db.query(
      `SELECT meter_serial AS serial, t1 FROM readings WHERE account_number = $1 ORDER BY serial`,
      [accountNumber],
    );

  beforeAll(async () => {
    mail = await startMailCatcher();
    db = await testDatabase();
    processor = await startProcessor();
    app = await startCabinet(clock, mail.url);
    alice = await register();
    bob = await register();
  });

  afterAll(async () => {
    await app?.close();
    await processor?.close();
    await mail?.close();
    await db?.destroy();
  });

  it('keeps the session in a Secure __Host- cookie by default and serves pages with a strict CSP', async () => {
    expect([...alice.web.cookies.keys()].sort()).toEqual(['__Host-cab_form', '__Host-cab_session']);
    const page = await alice.web.get('/accounts');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain(`Лицевой счёт ${alice.accountNumber}`);
    // The stylesheet, the same for everyone, is kept an hour.
    const css = await request(app.getHttpServer()).get('/assets/cabinet.css').expect(200);
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
    // The cookie is not a bearer token for the API, and a bearer token opens no page.
    await request(app.getHttpServer())
      .get('/v1/cabinet/accounts')
      .set('Cookie', `__Host-cab_session=${alice.web.cookies.get('__Host-cab_session')}`)
      .expect(401);
    const session = await request(app.getHttpServer())
      .get('/accounts')
      .set('Authorization', `Bearer ${alice.web.cookies.get('__Host-cab_session')}`);
    expect(session.status).toBe(303);
    expect(session.headers.location).toBe('/login?next=%2Faccounts');
  });

  it('refuses every form without this visitor’s anti-forgery value (403), before and after sign-in', async () => {
    const visitor = new WebClient(app);
    await visitor.get('/login');
    const before = await visitor.post('/login', { email: 'someone@example.ru' });
    expect(before.status).toBe(403);
    expect(before.text).toContain('Форма устарела');
    // A value from another visitor's form cookie does not pass either.
    const stranger = new WebClient(app);
    const foreign = csrfOf((await stranger.get('/register')).text);
    expect((await visitor.post('/login', { _csrf: foreign, email: 'a@example.ru' })).status).toBe(
      403,
    );
    // Without any cookie (a cross-site post carries none: SameSite=Strict).
    const bare = await request(app.getHttpServer())
      .post('/register')
      .type('form')
      .send({ _csrf: foreign, accountNumber: alice.accountNumber });
    expect(bare.status).toBe(403);

    const page = (await alice.web.get(`/accounts/${alice.accountNumber}`)).text;
    const fields = hiddenFields(page);
    const forged = await alice.web.post(`/accounts/${alice.accountNumber}/readings`, {
      ...fields,
      _csrf: 'x'.repeat(43),
      [`v-0-T1`]: '120',
    });
    expect(forged.status).toBe(403);
    expect((await alice.web.post('/logout', {})).status).toBe(403);
    expect((await alice.web.post('/accounts', { accountNumber: bob.accountNumber })).status).toBe(
      403,
    );
  });

  it('answers format mistakes in Russian with 422, tied to their fields', async () => {
    const visitor = new WebClient(app);
    const refused = await visitor.submit('/register', '/register', {
      accountNumber: '12345',
      period: '2020-01',
      amountCharged: '12,345',
      email: 'not-an-address',
      phone: '12',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Номер лицевого счёта — 10 цифр');
    expect(refused.text).toContain('Выберите месяц одного из трёх последних платёжных документов.');
    expect(refused.text).toContain('не больше двух цифр копеек');
    expect(refused.text).toContain('Введите адрес электронной почты');
    expect(refused.text).toContain('Телефон — например');
    expect(refused.text).toContain('role="alert"');
    expect(refused.text).toMatch(
      /<input id="accountNumber" name="accountNumber" type="text" value="12345" aria-describedby="accountNumber-hint accountNumber-error" aria-invalid="true"/,
    );

    const { web, accountNumber, serial } = alice;
    const page = (await web.get(`/accounts/${accountNumber}`)).text;
    const post = (value: string) =>
      web.post(`/accounts/${accountNumber}/readings`, { ...hiddenFields(page), 'v-0-T1': value });
    const cases: [string, string][] = [
      ['12а', 'Введите число: только цифры и, если нужно, запятая'],
      ['1234567', 'Слишком много цифр до запятой: у этого счётчика их не больше 5.'],
      ['120,1234', 'После запятой — не больше 3 цифр'],
      ['-5', 'Введите число'],
      ['', 'Введите показания хотя бы одного счётчика.'],
    ];
    for (const [value, message] of cases) {
      const res = await post(value);
      expect({ value, status: res.status }).toEqual({ value, status: 422 });
      expect(res.text).toContain(message);
    }
    expect(hiddenFields(page)['s-0']).toBe(serial);
  });

  it('checks a long value whole: forty zeros and 123 is refused (422), never passed as 0', async () => {
    const { web, accountNumber, serial } = await register();
    const page = (await web.get(`/accounts/${accountNumber}`)).text;
    const refused = await web.post(`/accounts/${accountNumber}/readings`, {
      ...hiddenFields(page),
      'v-0-T1': `${'0'.repeat(40)}123`,
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`<label for="v-0-T1">Холодная вода, ${serial}</label>`);
    expect(refused.text).toContain(
      '<span class="field-error" id="v-0-T1-error">Слишком много цифр до запятой: у этого счётчика их не больше 5.',
    );
    expect(refused.text).toContain(`<li><a href="#v-0-T1">Слишком много цифр до запятой`);
    // What was typed comes back, as much of it as the page shows again.
    expect(refused.text).toContain(`value="${'0'.repeat(40)}"`);
    // Nothing was queued: the form sent again (same key, another value, so that a queued reading
    // could not hide behind it) stores the account's only reading.
    await decided(web, accountNumber, { ...hiddenFields(page), 'v-0-T1': '105' });
    expect(await storedReadings(accountNumber)).toEqual([{ serial, t1: '105.000000' }]);
  });

  it('refuses a form sent again under its key with another value (422), and gives it a new key to send it with', async () => {
    const { web, accountNumber, serial } = await register();
    const page = (await web.get(`/accounts/${accountNumber}`)).text;
    await decided(web, accountNumber, { ...hiddenFields(page), 'v-0-T1': '105' });
    const refused = await web.post(`/accounts/${accountNumber}/readings`, {
      ...hiddenFields(page),
      'v-0-T1': '106',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('С этой формы уже отправлены другие показания.');
    expect(refused.text).toContain('value="106"');
    const again = hiddenFields(refused.text);
    expect(again._key).not.toBe(hiddenFields(page)._key);
    await decided(web, accountNumber, { ...again, 'v-0-T1': '106' });
    expect((await storedReadings(accountNumber)).map((r: { t1: string }) => r.t1).sort()).toEqual([
      '105.000000',
      '106.000000',
    ]);
    expect(again['s-0']).toBe(serial);
  });

  it('refuses a zone sent twice (422) and passes nothing, not even the other meter', async () => {
    const { web, accountNumber, serial: cold } = await register();
    // "X" sorts after the cold meter's "W": the page lists the hot-water meter second.
    const hot = uniqueSerial('X');
    await seedMeters(db, [
      registryRecord({ account_number: accountNumber, serial: hot, resource: 'hot_water' }),
    ]);
    const page = (await web.get(`/accounts/${accountNumber}`)).text;
    expect(hiddenFields(page)).toMatchObject({ 's-0': cold, 's-1': hot });
    const refused = await web.post(`/accounts/${accountNumber}/readings`, {
      ...hiddenFields(page),
      'v-0-T1': ['130', '131'],
      'v-1-T1': '140',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`<label for="v-0-T1">Холодная вода, ${cold}</label>`);
    expect(refused.text).toContain(
      '<span class="field-error" id="v-0-T1-error">Показание этой зоны пришло несколько раз.',
    );
    expect(refused.text).toContain(`value="140"`);
    // Nothing was queued: the form sent again (same key, other values, so that a queued reading
    // could not hide behind them) stores the account's only readings.
    await decided(web, accountNumber, { ...hiddenFields(page), 'v-0-T1': '132', 'v-1-T1': '142' });
    expect(await storedReadings(accountNumber)).toEqual([
      { serial: cold, t1: '132.000000' },
      { serial: hot, t1: '142.000000' },
    ]);
  });

  it('refuses a form naming one meter in two rows (422) and passes neither value', async () => {
    const { web, accountNumber, serial: cold } = await register();
    const hot = uniqueSerial('X');
    await seedMeters(db, [
      registryRecord({ account_number: accountNumber, serial: hot, resource: 'hot_water' }),
    ]);
    const page = (await web.get(`/accounts/${accountNumber}`)).text;
    expect(hiddenFields(page)).toMatchObject({ 's-0': cold, 's-1': hot });
    // A tampered form: both rows name the hot-water meter, with two different values.
    const refused = await web.post(`/accounts/${accountNumber}/readings`, {
      ...hiddenFields(page),
      's-0': hot,
      'v-0-T1': '150',
      'v-1-T1': '170',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(
      `id="form-errors"><p>Счётчик ${hot} указан в форме несколько раз.`,
    );
    expect(refused.text).toContain(`value="170"`);
    // Nothing was queued: the form sent again (same key, other values, so that a queued reading
    // could not hide behind them) stores the account's only readings.
    await decided(web, accountNumber, { ...hiddenFields(page), 'v-0-T1': '132', 'v-1-T1': '142' });
    expect(await storedReadings(accountNumber)).toEqual([
      { serial: cold, t1: '132.000000' },
      { serial: hot, t1: '142.000000' },
    ]);
  });

  it('refuses a form whose meter left the account after the page was shown (422)', async () => {
    const { web, accountNumber, serial: cold } = await register();
    const hot = uniqueSerial('X');
    const hotOf = (account: string) =>
      registryRecord({ account_number: account, serial: hot, resource: 'hot_water' });
    await seedMeters(db, [hotOf(accountNumber)]);
    const page = (await web.get(`/accounts/${accountNumber}`)).text;
    expect(hiddenFields(page)).toMatchObject({ 's-0': cold, 's-1': hot });
    // The registry moves the hot-water meter, listed second, to another account.
    await seedMeters(db, [hotOf(uniqueAccount())]);
    const refused = await web.post(`/accounts/${accountNumber}/readings`, {
      ...hiddenFields(page),
      'v-0-T1': '130',
      'v-1-T1': '140',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('id="form-errors"><p>Список счётчиков изменился.');
    // Nothing was queued: the cold-water row sent again under the same key stores the only reading.
    const coldRow = hiddenFields(page);
    delete coldRow['s-1'];
    await decided(web, accountNumber, { ...coldRow, 'v-0-T1': '132' });
    expect(await storedReadings(accountNumber)).toEqual([{ serial: cold, t1: '132.000000' }]);
  });

  it('refuses a form with a value of a zone its meter no longer has (422), never dropping it', async () => {
    const { web, accountNumber, serial: cold } = await register();
    const meter = uniqueSerial('X');
    const electricity = (zones: '1' | '2') =>
      registryRecord({
        account_number: accountNumber,
        serial: meter,
        resource: 'electricity',
        zones,
        integer_digits: '6',
        fraction_digits: '1',
        initial_t1: '004600.0',
        initial_t2: zones === '2' ? '001900.0' : '',
      });
    await seedMeters(db, [electricity('2')]);
    const page = (await web.get(`/accounts/${accountNumber}`)).text;
    expect(hiddenFields(page)).toMatchObject({ 's-0': cold, 's-1': meter });
    expect(page).toContain('name="v-1-T2"');
    // The registry makes the meter single-rate: the night value typed on the page has no zone.
    await seedMeters(db, [electricity('1')]);
    const refused = await web.post(`/accounts/${accountNumber}/readings`, {
      ...hiddenFields(page),
      'v-0-T1': '130',
      'v-1-T1': '4650',
      'v-1-T2': '1950',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('id="form-errors"><p>Список счётчиков изменился.');
    // Nothing was queued: the form sent again under the same key stores the account's only readings.
    await decided(web, accountNumber, { ...hiddenFields(page), 'v-0-T1': '132', 'v-1-T1': '4660' });
    expect(await storedReadings(accountNumber)).toEqual([
      { serial: cold, t1: '132.000000' },
      { serial: meter, t1: '4660.000000' },
    ]);
  });

  it('refuses a form whose key came twice (422) rather than send it without its protection against a repeat', async () => {
    const { web, accountNumber, serial } = await register();
    const page = (await web.get(`/accounts/${accountNumber}`)).text;
    const fields = hiddenFields(page);
    const refused = await web.post(`/accounts/${accountNumber}/readings`, {
      ...fields,
      _key: [fields._key, 'another-key'],
      'v-0-T1': '130',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('id="form-errors"><p>Форма повреждена.');
    // The page comes back with a key of its own: sent with it, the reading is stored once.
    const again = hiddenFields(refused.text);
    expect(again._key).toMatch(/^[\x21-\x7e]{1,64}$/);
    await decided(web, accountNumber, { ...again, 'v-0-T1': '131' });
    expect(await storedReadings(accountNumber)).toEqual([{ serial, t1: '131.000000' }]);
  });

  it('confirms a registration whose id in the address is written in upper case', async () => {
    const { accountNumber } = await document();
    const web = new WebClient(app);
    const email = uniqueEmail();
    const created = await web.submit('/register', '/register', {
      accountNumber,
      period: '2026-09',
      amountCharged: '3120,44',
      email,
      phone: uniquePhone(),
    });
    const confirm = (created.headers.location as string).replace(/[0-9a-f-]{36}$/, (id) =>
      id.toUpperCase(),
    );
    expect(confirm).toMatch(/^\/register\/[0-9A-F-]{36}$/);
    const signedIn = await web.submit(confirm, confirm, { code: lastCode(mail, email) });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/accounts?done=registered');
  });

  it('passes a reading and shows its decision, then the meter history with consumption', async () => {
    const { web, accountNumber, serial } = alice;
    const page = (await web.get(`/accounts/${accountNumber}`)).text;
    expect(page).toContain('Холодная вода');
    expect(page).toContain('будут учтены за <strong>ноябрь 2026</strong>');
    const passed = await web.post(`/accounts/${accountNumber}/readings`, {
      ...hiddenFields(page),
      'v-0-T1': '00112,5',
    });
    expect(passed.status).toBe(303);
    const result = passed.headers.location as string;
    expect(result).toMatch(new RegExp(`^/accounts/${accountNumber}/readings\\?r=[0-9a-f-]{36}:`));
    // The page waits for the processor, and asks the browser to come back while it has not decided.
    let shown = await web.get(result);
    for (let i = 0; i < 10 && shown.headers.refresh; i += 1) shown = await web.get(result);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Показания приняты.');
    expect(shown.headers.refresh).toBeUndefined();

    const history = await web.get(`/accounts/${accountNumber}/meters/${serial}`);
    expect(history.status).toBe(200);
    expect(history.text).toContain('<th scope="row">ноябрь 2026</th><td class="num">12.500</td>');
    expect(history.text).toContain('За 12 расчётных периодов, первый — декабрь 2025.');
  });

  it('never shows or accepts anything for another resident’s account (404)', async () => {
    const { web } = alice;
    const page = (await web.get(`/accounts/${alice.accountNumber}`)).text;
    const csrf = csrfOf(page);
    const other = [
      await web.get(`/accounts/${bob.accountNumber}`),
      await web.get(`/accounts/${bob.accountNumber}/meters/${bob.serial}`),
      await web.get(
        `/accounts/${bob.accountNumber}/readings?r=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}:${bob.serial}`,
      ),
      await web.post(`/accounts/${bob.accountNumber}/readings`, {
        _csrf: csrf,
        's-0': bob.serial,
        'v-0-T1': '150',
      }),
      await web.get(`/accounts/${alice.accountNumber}/meters/${bob.serial}`),
    ];
    expect(other.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    for (const res of other.slice(0, 4)) {
      expect(res.text).toContain('Такого лицевого счёта нет в вашем личном кабинете.');
      expect(res.text).not.toContain(bob.serial);
    }
    const [stored] = await db.query(
      `SELECT count(*)::int AS n FROM readings WHERE meter_serial = $1`,
      [bob.serial],
    );
    expect(stored.n).toBe(0);
    // Linking it needs its payment document, like the API.
    const wrong = await web.submit('/accounts', '/accounts', {
      accountNumber: bob.accountNumber,
      period: '2026-09',
      amountCharged: '1.00',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Данные не совпадают ни с одним из трёх последних');
  });

  it('answers hostile forms and links with a 4xx page, never a 500', async () => {
    const visitor = new WebClient(app);
    const csrf = csrfOf((await visitor.get('/register')).text);
    const raw = (path: string, body: string) =>
      request(app.getHttpServer())
        .post(path)
        .set('Cookie', [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
        .type('form')
        .send(body);
    const answers = [
      // Nested and repeated fields where text is expected.
      await raw('/register', `_csrf=${csrf}&accountNumber[a]=1&email[]=x&email[]=y&period[x]=1`),
      await raw('/login', `_csrf=${csrf}&email[$gt]=`),
      await raw('/login', `_csrf[]=${csrf}&email=a@example.ru`),
      await raw('/login/code', `_csrf=${csrf}&email=a@example.ru&code[]=123456`),
      await raw(`/register/not-a-uuid`, `_csrf=${csrf}&code=123456`),
      await raw('/register', `_csrf=${csrf}&phone=${'9'.repeat(5000)}`),
      await visitor.get('/register/00000000-0000-4000-8000-000000000000'),
    ];
    expect(answers.map((r) => r.status)).toEqual([422, 422, 403, 422, 400, 422, 200]);
    // The confirmation of a registration that does not exist says so on its page.
    const gone = await visitor.post('/register/00000000-0000-4000-8000-000000000000', {
      _csrf: csrf,
      code: '123456',
    });
    expect(gone.status).toBe(404);
    expect(gone.text).toContain('Регистрация не найдена');

    const { web, accountNumber } = alice;
    const page = (await web.get(`/accounts/${accountNumber}`)).text;
    const signedIn = [
      await web.post(`/accounts/${accountNumber}/readings`, {
        ...hiddenFields(page),
        'v-0-T1': '1'.repeat(5000),
      }),
      await web.post(`/accounts/${accountNumber}/readings`, {
        ...hiddenFields(page),
        's-0': 'not-a-meter-here',
        'v-0-T1': '5',
      }),
      await web.get(`/accounts/${accountNumber}/readings?r=x`),
      await web.get(`/accounts/${accountNumber}/readings?r[a]=b`),
      await web.get(`/accounts/${accountNumber}/readings`),
      await web.get(`/accounts/${accountNumber}/meters/%00`),
      await web.get(`/accounts/not-an-account`),
    ];
    expect(signedIn.map((r) => r.status)).toEqual([422, 422, 400, 400, 400, 400, 404]);
    for (const res of [...answers, gone, ...signedIn])
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    // U+0000 in a form or an address is named as such, not taken for a damaged link.
    for (const unfit of [
      await raw('/login', `_csrf=${csrf}&email=a%00b@example.ru`),
      signedIn[5],
    ]) {
      expect(unfit.status).toBe(400);
      expect(unfit.text).toContain('<h1>Неверный запрос</h1>');
      expect(unfit.text).toContain('недопустимый символ U+0000');
    }
  });

  it('answers an unknown page address (404) and a malformed one (400) with a page, the API with JSON', async () => {
    const visitor = new WebClient(app);
    const pages = [
      await visitor.get('/no-such-page'),
      await alice.web.get(`/accounts/${alice.accountNumber}/no-such-page`),
      await visitor.get('/%ZZ'),
      await visitor.get('/register/%ZZ'),
      await alice.web.get('/accounts/%E0%A4%A'),
    ];
    expect(pages.map((r) => r.status)).toEqual([404, 404, 400, 400, 400]);
    for (const res of pages) {
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.text).toContain('<header class="top"><span class="brand">Личный кабинет');
    }
    expect(pages[0].text).toContain('<h1>Не найдено</h1>');
    expect(pages[2].text).toContain('<h1>Неверная ссылка</h1>');
    const head = await request(app.getHttpServer()).head('/no-such-page');
    expect(head.status).toBe(404);
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8');

    const api = request(app.getHttpServer());
    const unknown = await api.get('/v1/cabinet/no-such-resource').expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404 });
    const malformed = await api.get('/v1/cabinet/accounts/%ZZ/meters').expect(400);
    expect(malformed.body).toMatchObject({ statusCode: 400 });
    for (const res of [unknown, malformed])
      expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('shows an unknown or malformed address in the layout of the visitor, signed in or not', async () => {
    const csrf = csrfOf((await alice.web.get('/accounts')).text);
    for (const path of ['/no-such-page', '/accounts/%E0%A4%A']) {
      const res = await alice.web.get(path);
      expect(res.text).toContain('<button type="submit" id="sign-out">Выйти</button>');
      expect(res.text).toContain('<a href="/accounts">К лицевым счетам</a>');
      expect(res.text).not.toContain('<a href="/login">Вход</a>');
      expect(csrfOf(res.text)).toBe(csrf);
    }
    const forged = await request(app.getHttpServer())
      .get('/no-such-page')
      .set('Cookie', '__Host-cab_session=forged.token');
    expect(forged.status).toBe(404);
    expect(forged.text).toContain('<a href="/login">Вход</a>');
    expect(forged.text).not.toContain('id="sign-out"');
  });

  it('answers an unknown page with a 503 page when the session lookup fails, and goes on serving', async () => {
    const { proxy, url } = await proxyDatabase();
    const other = await startCabinet(clock, mail.url, {
      DATABASE_URL: url,
      DATABASE_LOCK_TIMEOUT_MS: '1000',
    });
    const cookie = [...alice.web.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const unknownPage = () =>
      request(other.getHttpServer()).get('/no-such-page').set('Cookie', cookie);
    try {
      for (const res of await answersWhileLookupFails(db, 'residents', proxy, unknownPage)) {
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.text).toContain('<h1>Сервис временно недоступен</h1>');
        expect(res.text).not.toContain('id="sign-out"');
      }
      const back = await unknownPage().expect(404);
      expect(back.text).toContain('<button type="submit" id="sign-out">Выйти</button>');
    } finally {
      await other.close();
      await proxy.close();
    }
  });

  it('answers a page over its address’s request rate with a page (429), the API with JSON', async () => {
    const limited = await startCabinet(clock, mail.url, {
      CLIENT_RATE_LIMIT_PER_SECOND: '1',
      CLIENT_RATE_LIMIT_BURST: '2',
    });
    try {
      const ip = uniqueIp();
      const get = (path: string) =>
        request(limited.getHttpServer()).get(path).set('X-Forwarded-For', ip);
      const answers = [];
      for (let i = 0; i < 4; i += 1) answers.push(await get('/login'));
      const page = answers[answers.length - 1];
      expect(page.status).toBe(429);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
      expect(Number(page.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(page.text).toContain('<h1>Слишком много попыток</h1>');
      expect(page.text).toContain('Слишком много запросов с вашего адреса. Повторите через');
      expect(page.text).toContain('<a href="/login">Вход</a>');
      const session = alice.web.cookies.get('__Host-cab_session') as string;
      const resident = await get('/accounts').set('Cookie', `__Host-cab_session=${session}`);
      expect(resident.status).toBe(429);
      expect(resident.text).toContain('<button type="submit" id="sign-out">Выйти</button>');

      const api = await get('/v1/cabinet/accounts');
      expect(api.status).toBe(429);
      expect(api.headers['content-type']).toMatch(/^application\/json/);
      expect(Number(api.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(api.body).toEqual({
        statusCode: 429,
        error: 'TOO_MANY_REQUESTS',
        message: 'too many requests from this address; retry later',
      });
    } finally {
      await limited.close();
    }
  });

  it('signs in by e-mail code and out, ending the session on the server', async () => {
    const web = new WebClient(app);
    // The registration code went to this address 1.5 s ago: a new one must wait, whole seconds.
    clock.advance(1500);
    const early = await web.submit('/login', '/login', { email: alice.email });
    expect(early.status).toBe(429);
    expect(early.headers['retry-after']).toBe('59');
    expect(early.text).toContain('Код уже отправлен недавно. Повторите через 59 с.');
    clock.advance(2 * MINUTE);
    // Sent to sign in from an account's page, the resident comes back to it.
    const away = await web.get(`/accounts/${alice.accountNumber}`);
    expect(away.headers.location).toBe(`/login?next=%2Faccounts%2F${alice.accountNumber}`);
    const form = await web.get(away.headers.location as string);
    const asked = await web.post('/login', { ...hiddenFields(form.text), email: alice.email });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Код для входа');
    const wrong = await web.post('/login/code', {
      ...hiddenFields(asked.text),
      code: '12345',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Код — 6 цифр из письма.');
    const signedIn = await web.post('/login/code', {
      ...hiddenFields(asked.text),
      code: lastCode(mail, alice.email),
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe(`/accounts/${alice.accountNumber}`);
    const token = web.cookies.get('__Host-cab_session') as string;
    const accounts = await web.get('/accounts');
    expect(accounts.text).toContain(alice.accountNumber);

    const out = await web.post('/logout', { _csrf: csrfOf(accounts.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login?done=signed-out');
    // The old token is refused by the pages and by the API alike.
    const replay = await request(app.getHttpServer())
      .get('/accounts')
      .set('Cookie', `__Host-cab_session=${token}`);
    expect(replay.status).toBe(303);
    await request(app.getHttpServer())
      .get('/v1/cabinet/accounts')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);
  });

  it('shows only its own notices for ?done=, none for a name every object has', async () => {
    const notice = async (done: string) =>
      /<div class="flash ok" role="status">([^<]*)<\/div>/.exec(
        (await new WebClient(app).get(`/login?done=${done}`)).text,
      )?.[1] ?? null;
    expect(await notice('signed-out')).toBe('Вы вышли из личного кабинета.');
    for (const done of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(await notice(done)).toBeNull();
  });

  it('lists on the meter history a reading passed after the window closed, under the next period', async () => {
    clock.set('2026-11-28T10:00:00+03:00');
    try {
      const { web, accountNumber, serial } = await register();
      const page = (await web.get(`/accounts/${accountNumber}`)).text;
      expect(page).toContain('будут учтены за <strong>декабрь 2026</strong>');
      await decided(web, accountNumber, { ...hiddenFields(page), 'v-0-T1': '104' });
      const history = await web.get(`/accounts/${accountNumber}/meters/${serial}`);
      expect(history.text).toContain('<th scope="row">декабрь 2026</th><td class="num">4.000</td>');
      expect(history.text).toMatch(
        /<td class="num">104<\/td><td class="num">4.000<\/td><td>декабрь 2026<\/td>/,
      );
    } finally {
      clock.set(TODAY);
    }
  });
});
