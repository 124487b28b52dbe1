import request from 'supertest';
import { answersWhileLookupFails } from '../support/lookup-outage';
import { proxyDatabase } from '../support/tcp-proxy';
import { openSignInPage, startBackoffice, submitSignInForm } from './backoffice-app';
import { bearer, ReviewStack } from './review-harness';
import { registryRecord, seedMeters, submission } from '../support/factories';
import {
  csrfToken,
  readCookie,
  sessionCookieName,
} from '../../apps/backoffice-api/src/web/web-session';

/** The harness serves plain HTTP, so the cookie carries no `__Host-` prefix. */
const SESSION_COOKIE = sessionCookieName(false);

/** The field `id` is marked invalid, tied to its message, and the message is an alert. */
function marked(html: string, id: string, message: string): void {
  expect(html).toMatch(
    new RegExp(`id="${id}"[^>]* aria-invalid="true" aria-describedby="${id}-error"`),
  );
  expect(html).toContain(`<p class="field-error" id="${id}-error" role="alert">${message}</p>`);
}

/** The web UI's access rules over HTTP; the browser flows are in test/browser. */
describe('backoffice web UI: sessions, roles and forms', () => {
  let stack: ReviewStack;

  beforeAll(async () => {
    stack = await ReviewStack.start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function signIn(role: 'operator' | 'supervisor' | 'admin') {
    const credentials = await stack.credentials(role);
    const res = await submitSignInForm(stack.app, { ...credentials, next: '/search' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/search');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(
      /^bo_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
    );
    const token = readCookie(setCookie.split(';')[0], SESSION_COOKIE) as string;
    return { cookie: `${SESSION_COOKIE}=${token}`, csrf: csrfToken(token), token };
  }

  it('sends visitors without a session to the sign-in page, keeping where they were going', async () => {
    for (const path of [
      '/',
      '/dashboard',
      '/search?q=1',
      '/review/00000000-0000-4000-8000-000000000000',
    ]) {
      const res = await stack.http().get(path).expect(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    const forged = await stack
      .http()
      .get('/')
      .set('Cookie', `${SESSION_COOKIE}=forged.token`)
      .expect(303);
    expect(forged.headers.location).toBe('/login?next=%2F');
    const page = await stack.http().get('/login?next=//evil.example').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toContain('<input type="hidden" name="next" value="/">');
  });

  it('refuses a wrong password with the sign-in page again, in Russian', async () => {
    const credentials = await stack.credentials('operator');
    const res = await submitSignInForm(stack.app, { login: credentials.login, password: 'nope' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Неверный логин или пароль.');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('signs in through the page with the anti-forgery value of the form cookie that page set', async () => {
    const page = await stack.http().get('/login').expect(200);
    expect(String(page.headers['set-cookie'])).toMatch(
      /^bo_form=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/,
    );
    const browser = await openSignInPage(stack.app);
    const credentials = await stack.credentials('operator');
    const post = (form: object) =>
      stack.http().post('/login').set('Cookie', browser.cookie).type('form').send(form);
    // A refused password shows the form again with the same value, so the next try goes through.
    const wrong = await post({ _csrf: browser.csrf, login: credentials.login, password: 'x' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain(`<input type="hidden" name="_csrf" value="${browser.csrf}">`);
    const signedIn = await post({ _csrf: browser.csrf, ...credentials }).expect(303);
    expect(String(signedIn.headers['set-cookie'])).toMatch(/^bo_session=[^;]+;/);
    expect(signedIn.headers.location).toBe('/');
  });

  it('signs in through the page with the login in another case', async () => {
    const credentials = await stack.credentials('operator');
    const res = await submitSignInForm(stack.app, {
      ...credentials,
      login: credentials.login.toUpperCase(),
    });
    expect(res.status).toBe(303);
    expect(String(res.headers['set-cookie'])).toMatch(/^bo_session=[^;]+;/);
  });

  it('refuses a sign-in form posted from another site, signing nobody in (login CSRF)', async () => {
    const credentials = await stack.credentials('operator');
    // What a page elsewhere auto-submits: its own operator's login and password, no value.
    const crossSite = await stack
      .http()
      .post('/login')
      .set('Origin', 'https://evil.example')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send(credentials)
      .expect(403);
    expect(crossSite.headers['set-cookie']).toBeUndefined();
    expect(crossSite.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(crossSite.text).toContain('<h1>Форма устарела</h1>');
    expect(crossSite.text).toContain('Форма входа устарела или отправлена не с этой страницы.');
  });

  it('refuses a sign-in form with the value of another browser’s form cookie', async () => {
    const credentials = await stack.credentials('operator');
    const [victim, attacker] = [await openSignInPage(stack.app), await openSignInPage(stack.app)];
    expect(attacker.csrf).not.toBe(victim.csrf);
    const post = (cookie: string | null) => {
      const req = stack.http().post('/login').type('form');
      return (cookie ? req.set('Cookie', cookie) : req).send({
        _csrf: attacker.csrf,
        ...credentials,
      });
    };
    for (const refused of [await post(victim.cookie), await post(null)]) {
      expect(refused.status).toBe(403);
      expect(refused.headers['set-cookie']).toBeUndefined();
    }
    await post(attacker.cookie).expect(303);
  });

  it('shows pages by role: the dashboard needs a supervisor', async () => {
    const operator = await signIn('operator');
    const supervisor = await signIn('supervisor');
    const page = (path: string, session: { cookie: string }) =>
      stack.http().get(path).set('Cookie', session.cookie);
    const queue = await page('/', operator).expect(200);
    expect(queue.text).toContain('<h1>Очередь проверки</h1>');
    expect(queue.text).not.toContain('href="/dashboard"');
    const forbidden = await page('/dashboard', operator).expect(403);
    expect(forbidden.text).toContain('Нет доступа');
    // The header of every page: navigation, the operator and signing out.
    expect(forbidden.text).toContain('<nav aria-label="Разделы">');
    expect(forbidden.text).toContain('<form method="post" action="/logout">');
    const dashboard = await page('/dashboard?month=2026-11', supervisor).expect(200);
    expect(dashboard.text).toContain('<svg class="chart"');
    expect((await page('/', supervisor).expect(200)).text).toContain('href="/dashboard"');
    await page('/review/not-a-uuid', operator).expect(404);
    await page('/meters/NO-SUCH-METER', operator).expect(404);
    const css = await stack.http().get('/assets/backoffice.css').expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
    const icon = await stack.http().get('/favicon.ico').expect(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=86400');
  });

  it('answers an unknown page address (404) and a malformed one (400) with a page, the API with JSON', async () => {
    const operator = await signIn('operator');
    const pages = [
      await stack.http().get('/no-such-page'),
      await stack.http().get('/no-such-page').set('Cookie', operator.cookie),
      await stack.http().post('/review/x/no-such-action').set('Cookie', operator.cookie),
      await stack.http().get('/%ZZ'),
      await stack.http().get('/review/%ZZ').set('Cookie', operator.cookie),
      await stack.http().get('/meters/%E0%A4%A').set('Cookie', operator.cookie),
    ];
    expect(pages.map((r) => r.status)).toEqual([404, 404, 404, 400, 400, 400]);
    for (const res of pages) {
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.text).toContain('— бэк-офис показаний</title>');
    }
    expect(pages[0].text).toContain('<h1>Не найдено</h1>');
    expect(pages[3].text).toContain('<h1>Неверная ссылка</h1>');

    const unknown = await stack.http().get('/v1/no-such-resource').expect(404);
    const malformed = await stack.http().get('/v1/review/%ZZ').set(bearer(operator.token));
    expect(malformed.status).toBe(400);
    for (const res of [unknown, malformed])
      expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('names U+0000 in an address or a form in Russian, on a page of its own', async () => {
    const operator = await signIn('operator');
    const pages = [
      await stack.http().get('/?q=%00').set('Cookie', operator.cookie),
      await stack.http().get('/meters/%00').set('Cookie', operator.cookie),
      await stack
        .http()
        .post('/bulk-decisions')
        .set('Cookie', operator.cookie)
        .type('form')
        .send({ _csrf: operator.csrf, decision: 'approve', comment: 'a\u0000b' }),
    ];
    for (const res of pages) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('<h1>Неверный запрос</h1>');
      expect(res.text).toContain('В адресе или форме недопустимый символ U+0000');
      expect(res.text).not.toContain('must not');
    }
  });

  it('shows an unknown or malformed address with the operator’s header when signed in', async () => {
    const operator = await signIn('operator');
    for (const path of ['/no-such-page', '/meters/%E0%A4%A']) {
      const res = await stack.http().get(path).set('Cookie', operator.cookie);
      expect(res.text).toContain('<nav aria-label="Разделы">');
      expect(res.text).toContain(`<input type="hidden" name="_csrf" value="${operator.csrf}">`);
    }
    for (const cookie of ['', `${SESSION_COOKIE}=forged.token`]) {
      const res = await stack.http().get('/no-such-page').set('Cookie', cookie);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('<header class="top">');
    }
  });

  it('answers an unknown page with a 503 page when the operator lookup fails, and goes on serving', async () => {
    const operator = await signIn('operator');
    const { proxy, url } = await proxyDatabase();
    const app = await startBackoffice({ DATABASE_URL: url, DATABASE_LOCK_TIMEOUT_MS: '1000' });
    const unknownPage = () =>
      request(app.getHttpServer()).get('/no-such-page').set('Cookie', operator.cookie);
    try {
      for (const res of await answersWhileLookupFails(stack.db, 'operators', proxy, unknownPage)) {
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.text).toContain('<h1>Сервис временно недоступен</h1>');
        expect(res.text).not.toContain('<header class="top">');
      }
      const back = await unknownPage().expect(404);
      expect(back.text).toContain(`<input type="hidden" name="_csrf" value="${operator.csrf}">`);
    } finally {
      await app.close();
      await proxy.close();
    }
  });

  it('accepts a form only with the session’s anti-forgery value, and never the cookie on the API', async () => {
    const operator = await signIn('operator');
    const [spike] = await stack.inReview(['spike']);
    const post = (path: string, form: object) =>
      stack.http().post(path).set('Cookie', operator.cookie).type('form').send(form);
    const forged = await post(`/review/${spike.submissionId}/claim`, {}).expect(403);
    expect(forged.text).toContain('Форма устарела');
    await post(`/review/${spike.submissionId}/claim`, {
      _csrf: csrfToken('another-session'),
    }).expect(403);
    const claimed = await post(`/review/${spike.submissionId}/claim`, {
      _csrf: operator.csrf,
    }).expect(303);
    expect(claimed.headers.location).toBe(`/review/${spike.submissionId}?done=claimed`);
    // A refused action comes back to its page with the reason.
    const refused = await post(`/review/${spike.submissionId}/approve`, {
      _csrf: operator.csrf,
      comment: 'x',
      T1: '1234567',
    }).expect(303);
    expect(refused.headers.location).toBe(
      `/review/${spike.submissionId}?error=REVALIDATION_FAILED&reasons=VALUE_FORMAT`,
    );
    const shown = await stack
      .http()
      .get(refused.headers.location)
      .set('Cookie', operator.cookie)
      .expect(200);
    expect(shown.text).toContain(
      'Показание не прошло проверку: неверный формат показания (VALUE_FORMAT).',
    );
    // The API takes bearer tokens only.
    await stack.http().get('/v1/review').set('Cookie', operator.cookie).expect(401);
    await stack.http().get('/v1/review').set(bearer(operator.token)).expect(200);
  });

  it('sends a refused decision or verification form back with its fields marked and announced', async () => {
    const operator = await signIn('operator');
    const supervisor = await signIn('supervisor');
    const [spike] = await stack.inReview(['spike']);
    const post = (path: string, session: { cookie: string; csrf: string }, form: object) =>
      stack
        .http()
        .post(path)
        .set('Cookie', session.cookie)
        .type('form')
        .send({ _csrf: session.csrf, ...form });
    const comment = 'Напишите комментарий к решению (до 1000 знаков).';

    const approve = await post(`/review/${spike.submissionId}/approve`, operator, {
      comment: '   ',
      T1: '',
    }).expect(422);
    marked(approve.text, 'approve-comment', comment);
    marked(
      approve.text,
      'approve-T1',
      'Укажите показание зоны (до 25 знаков) или верните переданное.',
    );
    expect(approve.text).toContain(
      '<div class="flash error" role="alert">Форма заполнена неверно.</div>',
    );
    expect(approve.text).not.toContain('aria-describedby="reject-comment-error"');

    const reject = await post(`/review/${spike.submissionId}/reject`, operator, {
      comment: ' ',
    }).expect(422);
    marked(reject.text, 'reject-comment', comment);
    expect(reject.text).not.toContain('aria-describedby="approve-comment-error"');
    // The reason chosen stays chosen: shown reset, the next press would reject for the review's.
    const chosen = await post(`/review/${spike.submissionId}/reject`, operator, {
      comment: '',
      reason: 'VALUE_FORMAT',
    }).expect(422);
    expect(chosen.text).toContain('<option value="VALUE_FORMAT" selected>');
    // Nothing was decided: the item is still open.
    await stack
      .http()
      .get(`/v1/review/${spike.submissionId}`)
      .set(bearer(operator.token))
      .expect(200)
      .expect((res) => expect(res.body.status).toBe('needs_review'));

    const verification = await post(`/meters/${spike.meterSerial}/verifications`, supervisor, {
      verifiedOn: '2026-02-30',
      intervalMonths: '0',
      certificateNo: ' ',
    }).expect(422);
    marked(
      verification.text,
      'verification-verifiedOn',
      'Укажите дату поверки полностью: день, месяц и год.',
    );
    marked(
      verification.text,
      'verification-intervalMonths',
      'Укажите интервал цифрами: целое число месяцев от 1 до 240.',
    );
    marked(
      verification.text,
      'verification-certificateNo',
      'Укажите номер свидетельства (до 64 знаков).',
    );
    // What was typed stays in the fields.
    expect(verification.text).toContain('value="2026-02-30"');
  });

  /** A form posted as the browser encodes it, with the session's anti-forgery value. */
  const postForm = (path: string, session: { cookie: string; csrf: string }, form: string) =>
    stack
      .http()
      .post(path)
      .set('Cookie', session.cookie)
      .type('form')
      .send(`_csrf=${session.csrf}&${form}`);

  it('refuses a verification interval not written in plain digits, recording nothing', async () => {
    const supervisor = await signIn('supervisor');
    const [spike] = await stack.inReview(['spike']);
    const verifications = () =>
      stack.db.query(
        `SELECT m.verified_on, m.verification_interval_months,
                (SELECT count(*)::int FROM meter_verifications v WHERE v.serial = m.serial) AS n
           FROM meters m WHERE m.serial = $1`,
        [spike.meterSerial],
      );
    const before = await verifications();
    // Number() would read these as 16, 100 and 12 months.
    for (const typed of ['0x10', '1e2', ' 12 ', '12.0']) {
      const res = await postForm(
        `/meters/${encodeURIComponent(spike.meterSerial)}/verifications`,
        supervisor,
        `verifiedOn=2026-11-02&certificateNo=C-1&intervalMonths=${encodeURIComponent(typed)}`,
      ).expect(422);
      marked(
        res.text,
        'verification-intervalMonths',
        'Укажите интервал цифрами: целое число месяцев от 1 до 240.',
      );
      expect(res.text).toContain(
        `name="intervalMonths" type="number" min="1" max="240" required value="${typed}"`,
      );
    }
    expect(await verifications()).toEqual(before);
  });

  it('refuses an approval with a zone sent twice, deciding nothing', async () => {
    const operator = await signIn('operator');
    const [spike] = await stack.inReview(['spike']);
    // The submitted T1 and a corrected one: neither is taken for the operator's decision.
    const approve = await postForm(
      `/review/${spike.submissionId}/approve`,
      operator,
      'comment=ok&T1=00900.000&T1=00950.000',
    ).expect(422);
    marked(approve.text, 'approve-T1', 'Поле передано несколько раз: укажите одно значение.');
    expect(approve.text).toContain('id="approve-T1" name="T1" value=""');
    const [reading] = await stack.db.query(
      `SELECT r.status,
              (SELECT count(*)::int FROM review_decisions d
                WHERE d.submission_id = r.submission_id) AS decisions,
              (SELECT count(*)::int FROM audit_log a
                WHERE a.subject = 'review:' || r.submission_id) AS audited
         FROM readings r WHERE r.submission_id = $1`,
      [spike.submissionId],
    );
    expect(reading).toEqual({ status: 'needs_review', decisions: 0, audited: 0 });
  });

  it('prefills no approval of a reading whose zones the meter no longer has', async () => {
    const operator = await signIn('operator');
    const [meter] = await seedMeters(stack.db, [
      registryRecord({
        resource: 'electricity',
        zones: '2',
        integer_digits: '6',
        fraction_digits: '1',
        initial_t1: '000100.0',
        initial_t2: '000050.0',
      }),
    ]);
    const reading = submission({
      accountNumber: meter.accountNumber,
      meterSerial: meter.serial,
      values: [
        { zone: 'T1', value: '090000.0' },
        { zone: 'T2', value: '000060.0' },
      ],
    });
    await stack.publish([reading]);
    expect((await stack.decided([reading.submissionId])).get(reading.submissionId)).toBe(
      'needs_review',
    );
    // The registry made the meter single-rate while the reading waited.
    await stack.db.query(`UPDATE meters SET zones = 1 WHERE serial = $1`, [meter.serial]);

    const page = await stack
      .http()
      .get(`/review/${reading.submissionId}`)
      .set('Cookie', operator.cookie)
      .expect(200);
    expect(page.text).toContain(
      'Показание передано по зонам T1, T2, а у прибора теперь зон: 1. Введите показание по зонам прибора или отклоните.',
    );
    // The day zone alone is not the meter's reading: nothing is offered to approve untouched.
    expect(page.text).toContain('id="approve-T1" name="T1" value=""');
    expect(page.text).not.toContain('name="T2"');

    const approve = await postForm(
      `/review/${reading.submissionId}/approve`,
      operator,
      'comment=ok&T1=',
    ).expect(422);
    marked(
      approve.text,
      'approve-T1',
      'Укажите показание зоны (до 25 знаков) или верните переданное.',
    );
    const [stored] = await stack.db.query(`SELECT status FROM readings WHERE submission_id = $1`, [
      reading.submissionId,
    ]);
    expect(stored).toEqual({ status: 'needs_review' });
  });

  it('escapes what operators and channels wrote', async () => {
    const operator = await signIn('operator');
    const [spike] = await stack.inReview(['spike']);
    await stack
      .http()
      .post(`/v1/review/${spike.submissionId}/reject`)
      .set(bearer(operator.token))
      .send({ comment: '<script>alert("x")</script>' })
      .expect(200);
    const page = await stack
      .http()
      .get(`/review/${spike.submissionId}`)
      .set('Cookie', operator.cookie)
      .expect(200);
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>');
  });

  it('signs out by clearing the cookie', async () => {
    const operator = await signIn('operator');
    const res = await stack
      .http()
      .post('/logout')
      .set('Cookie', operator.cookie)
      .type('form')
      .send({ _csrf: operator.csrf })
      .expect(303);
    expect(res.headers.location).toBe('/login');
    expect(String(res.headers['set-cookie'])).toContain(
      'bo_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
    );
  });
});
