import { formatDate, moscowDate } from '@gw/domain';
import type request from 'supertest';
import { runCtl } from '../support/ctl';
import { registryRecord, seedMeters, submission } from '../support/factories';
import { eventually } from '../support/infra';
import { bearer, ReviewStack } from './review-harness';

/** The queue's search, paging and bulk decisions, the audit page and the CSV exports, over HTTP. */
describe('backoffice web UI: queue tools and exports', () => {
  let stack: ReviewStack;

  beforeAll(async () => {
    stack = await ReviewStack.start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const page = (path: string, session: { cookie: string }) =>
    stack.http().get(path).set('Cookie', session.cookie);

  const REPEATED = 'Поле передано несколько раз: укажите одно значение.';
  /** A refusal as the pages answer one: the page again, not a file, the slip at its field. */
  const refused = async (
    path: string,
    session: { cookie: string },
    errorId: string,
    message: string,
  ) => {
    const res = await page(path, session).expect(422);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain(`id="${errorId}" role="alert">${message}</`);
    return res.text;
  };

  it('finds the items of one account or meter, a page at a time, in the API and on the page', async () => {
    const operator = await stack.webSession('operator');
    const items = await stack.inReviewOnOneAccount(3);
    const account = items[0].accountNumber;
    const ids = async (query: string) => {
      const res = await stack
        .http()
        .get(`/v1/review?q=${account}${query}`)
        .set(bearer(operator.token))
        .expect(200);
      expect(res.body.total).toBe(3);
      return res.body.items.map((i: { submissionId: string }) => i.submissionId);
    };
    const all = await ids('');
    expect([...all].sort()).toEqual(items.map((i) => i.submissionId).sort());
    expect(await ids('&limit=2&offset=1')).toEqual(all.slice(1));
    await stack
      .http()
      .get('/v1/review?offset=-1')
      .set(bearer(operator.token))
      .expect(400)
      .expect(({ body }) =>
        expect(body.message).toContain(
          'offset must be a whole number 0 to 1000000, written in digits',
        ),
      );

    const byAccount = await page(`/?q=${account}`, operator).expect(200);
    expect(byAccount.text).toContain('<strong id="queue-total">3</strong>');
    const bySerial = await page(`/?q=${encodeURIComponent(items[2].meterSerial)}`, operator).expect(
      200,
    );
    expect(bySerial.text).toContain('<strong id="queue-total">1</strong>');
    expect(bySerial.text).toContain(`data-id="${items[2].submissionId}"`);
    const beyond = await page(`/?q=${account}&page=2`, operator).expect(200);
    expect(beyond.text).toContain('На этой странице ничего нет.');
  });

  it('decides ticked items one by one and reports each, those it could not decide included', async () => {
    const operator = await stack.webSession('operator');
    const other = await stack.operator('operator');
    const [free, heldByOther, decided] = await stack.inReviewOnOneAccount(3);
    await stack
      .http()
      .post(`/v1/review/${heldByOther.submissionId}/claim`)
      .set(bearer(other.token))
      .expect(200);
    await stack
      .http()
      .post(`/v1/review/${decided.submissionId}/reject`)
      .set(bearer(other.token))
      .send({ comment: 'раньше' })
      .expect(200);
    const bulk = await stack
      .http()
      .post('/bulk-decisions')
      .set('Cookie', operator.cookie)
      .type('form')
      .send(
        `_csrf=${operator.csrf}&q=${free.accountNumber}&decision=approve&comment=${encodeURIComponent('сверено по фото')}` +
          [free, heldByOther, decided].map((i) => `&ids=${i.submissionId}`).join(''),
      )
      .expect(200);
    expect(bulk.text).toContain('Решено 1 из 3');
    const row = (id: string) =>
      new RegExp(`data-id="${id}"><td>[^]*?</td>\\s*<td>([^<]*)</td>`).exec(bulk.text)?.[1];
    expect(row(free.submissionId)).toBe('решено, исход отправлен');
    expect(row(heldByOther.submissionId)).toBe(
      'не решено: Запись уже взята в работу другим оператором.',
    );
    expect(row(decided.submissionId)).toBe('не решено: По записи уже принято решение.');
    // The queue below lists only the item still open.
    expect(bulk.text).toContain('<strong id="queue-total">1</strong>');

    const [approvedOutcome] = (await stack.outcomesOf(free.submissionId, 2)).slice(1);
    expect(approvedOutcome.status).toBe('accepted');
    const audit: { operator_login: string; action: string; after: { comment: string } }[] =
      await stack.db.query(
        `SELECT operator_login, action, after FROM audit_log WHERE subject = $1 ORDER BY id`,
        [`review:${free.submissionId}`],
      );
    expect(audit).toEqual([
      expect.objectContaining({
        operator_login: operator.login,
        action: 'review.approve',
        after: expect.objectContaining({ comment: 'сверено по фото' }),
      }),
    ]);
  });

  it('decides nothing more once the operator is disabled during a bulk decision, reporting the rest as not decided', async () => {
    const operator = await stack.webSession('operator');
    const [first, second, third] = await stack.inReviewOnOneAccount(3);
    // The second item stays locked until the operator is disabled: the first is decided before.
    const holder = stack.db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    let answer: Promise<request.Response>;
    try {
      await holder.query(`SELECT 1 FROM readings WHERE submission_id = $1 FOR UPDATE`, [
        second.submissionId,
      ]);
      answer = stack
        .http()
        .post('/bulk-decisions')
        .set('Cookie', operator.cookie)
        .type('form')
        .send(
          `_csrf=${operator.csrf}&q=${first.accountNumber}&decision=reject&comment=x` +
            [first, second, third].map((i) => `&ids=${i.submissionId}`).join(''),
        )
        .then((res) => res);
      await eventually(
        () => stack.decided([first.submissionId]),
        (statuses) => statuses.get(first.submissionId) === 'rejected',
      );
      await runCtl('operator', 'disable', operator.login);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    const bulk = await answer;
    expect(bulk.status).toBe(200);
    expect(bulk.text).toContain('Решено 1 из 3');
    const row = (id: string) =>
      new RegExp(`data-id="${id}"><td>[^]*?</td>\\s*<td>([^<]*)</td>`).exec(bulk.text)?.[1];
    expect(row(first.submissionId)).toBe('решено, исход отправлен');
    for (const undecided of [second, third])
      expect(row(undecided.submissionId)).toBe('не решено: Сеанс завершён. Войдите снова.');
    const statuses = await stack.decided([second.submissionId, third.submissionId]);
    expect([...statuses.values()]).toEqual(['needs_review', 'needs_review']);
  });

  it('answers a bulk form without ticks or comment at its fields, deciding nothing', async () => {
    const operator = await stack.webSession('operator');
    const [item] = await stack.inReviewOnOneAccount(1);
    const res = await stack
      .http()
      .post('/bulk-decisions')
      .set('Cookie', operator.cookie)
      .type('form')
      .send({ _csrf: operator.csrf, q: item.accountNumber, decision: 'reject', comment: ' ' })
      .expect(422);
    expect(res.text).toContain('role="alert">Отметьте в таблице хотя бы одно показание.</p>');
    expect(res.text).toMatch(
      /<textarea id="bulk-comment" name="comment" maxlength="1000" aria-invalid="true" aria-describedby="bulk-comment-error">/,
    );
    expect(res.text).toContain(
      '<p class="field-error" id="bulk-comment-error" role="alert">Напишите комментарий к решению (до 1000 знаков).</p>',
    );
    const [stored] = await stack.db.query(`SELECT status FROM readings WHERE submission_id = $1`, [
      item.submissionId,
    ]);
    expect(stored.status).toBe('needs_review');
    // A forged decision is refused as a bad form, not a server error.
    await stack
      .http()
      .post('/bulk-decisions')
      .set('Cookie', operator.cookie)
      .type('form')
      .send({ _csrf: operator.csrf, decision: 'delete', ids: item.submissionId, comment: 'x' })
      .expect(303)
      .expect('Location', '/?error=BAD_FORM');
  });

  it('refuses queue filters it cannot use, on the page and in its file, deciding nothing with them', async () => {
    const operator = await stack.webSession('operator');
    const [item] = await stack.inReviewOnOneAccount(1);
    const hours = 'Укажите часы цифрами, от 0 до 8784, дробную часть — через точку.';
    const cases: [string, string, string][] = [
      [`q=${'5'.repeat(33)}`, 'q', 'Лицевой счёт или номер прибора — не длиннее 32 знаков.'],
      [`q=${item.accountNumber}&q=${item.accountNumber}`, 'q', REPEATED],
      ['minAgeHours=1e2', 'minAgeHours', hours],
      ['maxAgeHours=99999', 'maxAgeHours', hours],
      [
        'minAgeHours=5&maxAgeHours=1',
        'maxAgeHours',
        'Значение «Моложе, ч» не может быть меньше значения «Старше, ч».',
      ],
      ['channel=bogus', 'channel', 'Выберите канал из списка.'],
      ['page=0', 'page', 'Номер страницы (page) — целое число от 1 до 99999, цифрами.'],
    ];
    for (const [query, field, message] of cases)
      for (const path of [`/?${query}`, `/exports/queue.csv?${query}`]) {
        const html = await refused(path, operator, `queue-${field}-error`, message);
        expect(html).toContain('Фильтр заполнен неверно: исправьте отмеченные поля.');
        expect(html).not.toContain('id="queue-total"');
      }
    // What was typed is shown again, marked, whole.
    expect(
      await refused(`/?q=${'5'.repeat(33)}`, operator, 'queue-q-error', cases[0][2]),
    ).toContain(
      `name="q" value="${'5'.repeat(33)}" maxlength="32" aria-invalid="true" aria-describedby="queue-q-error">`,
    );

    // The bulk form carries the page's filters; one it could not have shown is a forged form.
    for (const filters of ['minAgeHours=0x10', 'minAgeHours=5&maxAgeHours=1'])
      await stack
        .http()
        .post('/bulk-decisions')
        .set('Cookie', operator.cookie)
        .type('form')
        .send(
          `_csrf=${operator.csrf}&${filters}&decision=reject&comment=x&ids=${item.submissionId}`,
        )
        .expect(303)
        .expect('Location', '/?error=BAD_FORM');
    const [stored] = await stack.db.query(`SELECT status FROM readings WHERE submission_id = $1`, [
      item.submissionId,
    ]);
    expect(stored.status).toBe('needs_review');
  });

  it('refuses the estimates page a place in the list it cannot use, and a search sent twice', async () => {
    const operator = await stack.webSession('operator');
    const after = 'Ссылка на следующую страницу (afterSerial) неверна: откройте список заново.';
    for (const [query, message] of [
      [`afterSerial=${'A'.repeat(33)}`, after],
      ['afterSerial=A&afterSerial=B', REPEATED],
    ]) {
      const html = await refused(
        `/estimates?period=2031-01&${query}`,
        operator,
        'afterSerial-error',
        message,
      );
      expect(html).not.toContain('id="estimates-period"');
      expect(html).toContain('name="period" type="month" value="2031-01"');
    }
    const search = await refused(
      '/search?q=5001234567&q=5001234567',
      operator,
      'search-error',
      REPEATED,
    );
    expect(search).toContain('aria-invalid="true" aria-describedby="search-error"');
  });

  it('exports the queue as CSV for spreadsheet programs', async () => {
    const operator = await stack.webSession('operator');
    const [item] = await stack.inReviewOnOneAccount(1);
    const res = await page(`/exports/queue.csv?q=${item.accountNumber}`, operator)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="review-queue-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Получено;Канал;Лицевой счёт;Прибор;Период;Показание;Расход;Причины;В работе у;Идентификатор',
    );
    expect(lines[1].split(';').slice(1, 4)).toEqual([
      'Киоски',
      item.accountNumber,
      item.meterSerial,
    ]);
    expect(lines[1]).toContain('резкий рост расхода (CONSUMPTION_SPIKE)');
    expect(lines.slice(2)).toEqual(['']);
  });

  it('labels only a file as CSV: a refused export is JSON in the API and a page in the web UI', async () => {
    const operator = await stack.webSession('operator');
    const api = (path: string) => stack.http().get(path).set(bearer(operator.token));
    const refused = await api('/v1/estimates/export?period=2026-13').expect(400);
    expect(refused.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(refused.body.message).toEqual(['period must be a month YYYY-MM']);
    const refusedPage = await page('/estimates.csv?period=2026-13', operator).expect(400);
    expect(refusedPage.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(refusedPage.text).toContain('Укажите месяц: год и месяц, например 2026-10.');

    for (const file of [
      await api('/v1/estimates/export?period=2031-01').expect(200),
      await page('/estimates.csv?period=2031-01', operator).expect(200),
    ]) {
      expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(file.headers['content-disposition']).toBe(
        'attachment; filename="estimates-2031-01.csv"',
      );
      expect(file.text).toMatch(/^\uFEFFestimate_id;account_number;serial;/);
    }
  });

  it('lists what one operator did, by action and Moscow day, for administrators only', async () => {
    const admin = await stack.webSession('admin');
    const supervisor = await stack.webSession('supervisor');
    const operator = await stack.operator('operator');
    const [item] = await stack.inReviewOnOneAccount(1);
    await stack
      .http()
      .post(`/v1/review/${item.submissionId}/claim`)
      .set(bearer(operator.token))
      .expect(200);
    await stack
      .http()
      .post(`/v1/review/${item.submissionId}/reject`)
      .set(bearer(operator.token))
      .send({ comment: 'расход невозможен' })
      .expect(200);
    expect((await page('/audit', supervisor).expect(403)).text).toContain(
      'Эта страница доступна ролям от «администратор».',
    );
    // The database stamps the entries, and the day may change between the two: ask for their days.
    const [stamps] = await stack.db.query(
      `SELECT min(at) AS first, max(at) AS last FROM audit_log
        WHERE operator_login = $1 AND action LIKE 'review.%'`,
      [operator.login],
    );
    const [from, to] = [stamps.first, stamps.last].map((at: Date) => formatDate(moscowDate(at)));
    const mine = await page(`/audit?login=${operator.login}&from=${from}&to=${to}`, admin).expect(
      200,
    );
    const actions = [...mine.text.matchAll(/<td>([^<]*)<\/td><td><a href="\/review\//g)].map(
      (m) => m[1],
    );
    expect(actions).toEqual(['отклонение показания', 'взятие в работу']);
    expect(mine.text).toContain('<td>оператор</td>');
    // A login ignores case, as at sign-in.
    const upper = operator.login.toUpperCase();
    const rejects = await page(`/audit?login=${upper}&action=review.reject`, admin).expect(200);
    expect(rejects.text.match(/<tr data-id=/g)).toHaveLength(1);
    const earlier = await page(`/audit?login=${operator.login}&to=2020-01-01`, admin).expect(200);
    expect(earlier.text).toContain('Записей нет.');

    const backwards = await page(`/audit?from=${to}&to=2020-01-01`, admin).expect(422);
    expect(backwards.text).toContain('role="alert">Фильтр заполнен неверно');
    expect(backwards.text).toMatch(
      /name="to" type="date" value="2020-01-01" aria-invalid="true" aria-describedby="audit-to-error">/,
    );
    expect(backwards.text).toContain(
      '<p class="field-error" id="audit-to-error" role="alert">Дата «по» не может быть раньше даты «с».</p>',
    );

    const csv = await page(`/exports/audit.csv?login=${operator.login}`, admin).expect(200);
    expect(csv.headers['content-disposition']).toMatch(/filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('Время;Оператор;Роль;Действие;Объект;До;После;Номер записи');
    // The rejection, the claim and the sign-in, newest first.
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(/;вход;operator:/);
    const rejected = lines[1].split(';');
    expect(rejected.slice(1, 5)).toEqual([
      operator.login,
      'оператор',
      'отклонение показания',
      `review:${item.submissionId}`,
    ]);
    expect(lines[1]).toMatch(
      /;"\{""claim"":\{""by"":""op-[^;]*""needs_review""[^;]*";"\{""status"":""rejected""/,
    );
    await page(`/exports/audit.csv`, supervisor).expect(403);
  });

  it('refuses audit filters it cannot use, on the page and in its file', async () => {
    const admin = await stack.webSession('admin');
    const day = 'Укажите дату полностью: день, месяц и год.';
    const login = 'a'.repeat(65);
    const cases: [string, string, string, string | null][] = [
      ['from=2099-01-01T00:00', 'from', day, 'name="from" type="date" value="2099-01-01T00:00"'],
      ['from=2026-11-01&from=2026-11-02', 'from', REPEATED, 'name="from" type="date" value=""'],
      [`login=${login}`, 'login', 'Логин оператора — не длиннее 64 знаков.', `value="${login}"`],
      [
        'beforeId=abc',
        'beforeId',
        'Ссылка на более ранние записи (beforeId) неверна: откройте журнал заново.',
        null,
      ],
    ];
    for (const [query, field, message, shown] of cases)
      for (const path of [`/audit?${query}`, `/exports/audit.csv?${query}`]) {
        const html = await refused(path, admin, `audit-${field}-error`, message);
        expect(html).toContain('role="alert">Фильтр заполнен неверно');
        expect(html).not.toMatch(/id="audit"|id="audit-empty"/);
        if (shown) expect(html).toContain(shown);
      }
  });

  it('shows and exports the statistics of any range of days, and of a month as before', async () => {
    const supervisor = await stack.webSession('supervisor');
    const meters = await seedMeters(stack.db, [registryRecord(), registryRecord()]);
    // Two readings on 30 June and 1 July 2032, a range across two months; the meters' verification
    // has run out by then, so both are rejected for it.
    const messages = meters.map((m, i) =>
      submission({
        accountNumber: m.accountNumber,
        meterSerial: m.serial,
        channel: 'kiosk',
        values: [{ zone: 'T1', value: '00110.000' }],
        readAt: ['2032-06-30T12:00:00+03:00', '2032-07-01T12:00:00+03:00'][i],
        receivedAt: ['2032-06-30T12:00:00+03:00', '2032-07-01T12:00:00+03:00'][i],
      }),
    );
    await stack.publish(messages);
    await stack.decided(messages.map((m) => m.submissionId));

    const range = await page('/dashboard?from=2032-06-30&to=2032-07-01', supervisor).expect(200);
    expect(range.text).toContain('<h1>Каналы: 30.06.2032 – 01.07.2032</h1>');
    expect(range.text).toMatch(/<tr data-channel="kiosk"><td>Киоски<\/td><td class="num">2<\/td>/);
    const month = await page('/dashboard?month=2032-07', supervisor).expect(200);
    expect(month.text).toContain('<h1>Каналы: июль 2032</h1>');
    expect(month.text).toContain('← июнь 2032');
    expect(month.text).toMatch(/<tr data-channel="kiosk"><td>Киоски<\/td><td class="num">1<\/td>/);
    const tooLong = await page('/dashboard?from=2030-01-01&to=2032-07-01', supervisor).expect(422);
    expect(tooLong.text).toContain('aria-describedby="stats-to-error"');
    expect(tooLong.text).toContain('Период не длиннее 366 дней');

    const csv = await page('/exports/stats.csv?from=2032-06-30&to=2032-07-01', supervisor).expect(
      200,
    );
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="channel-stats-2032-06-30-2032-07-01.csv"',
    );
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'День;Канал;Получено;Принято;Повторы;Отклонено;На проверке;Отклонено по причинам',
    );
    // Two days of five channels, then the five channels' totals.
    expect(lines).toHaveLength(1 + 10 + 5 + 1);
    expect(lines).toContain(
      '30.06.2032;Киоски;1;0;0;1;0;поверка просрочена (VERIFICATION_EXPIRED): 1',
    );
    expect(lines).toContain(
      '30.06.2032–01.07.2032;Киоски;2;0;0;2;0;поверка просрочена (VERIFICATION_EXPIRED): 2',
    );
    await page('/exports/stats.csv?month=2032-13', supervisor).expect(400);
  });

  it('names a month or period that is none in Russian, on the pages and instead of their files', async () => {
    const supervisor = await stack.webSession('supervisor');
    for (const [path, text] of [
      [
        '/dashboard?month=2026-13',
        'Месяц (month) указан неверно: год и месяц с 2000 по 2099, например 2026-10.',
      ],
      [
        '/exports/stats.csv?month=99999-01',
        'Месяц (month) указан неверно: год и месяц с 2000 по 2099, например 2026-10.',
      ],
      ['/estimates.csv?period=2026-00', 'Укажите месяц: год и месяц, например 2026-10.'],
    ]) {
      const res = await page(path, supervisor).expect(400);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain(text);
    }
  });

  it('refuses a range day sent twice, on the page and in its file, and shows a typo as typed', async () => {
    const supervisor = await stack.webSession('supervisor');
    for (const field of ['from', 'to'])
      for (const path of ['/dashboard', '/exports/stats.csv']) {
        const html = await refused(
          `${path}?${field}=2026-11-01&${field}=2026-11-02`,
          supervisor,
          `stats-${field}-error`,
          REPEATED,
        );
        expect(html).toContain('Период задан неверно: исправьте отмеченные поля.');
        expect(html).not.toContain('id="totals"');
      }
    // Cut to ten characters it would read as another, valid, day.
    const typo = await refused(
      '/dashboard?from=2026-11-011',
      supervisor,
      'stats-from-error',
      'Укажите дату полностью: день, месяц и год.',
    );
    expect(typo).toContain(
      'name="from" type="date" value="2026-11-011" aria-invalid="true" aria-describedby="stats-from-error">',
    );
  });

  it('speaks Russian on every page: resources, roles and dates, a favicon and no developer hints', async () => {
    const supervisor = await stack.webSession('supervisor');
    const icon = await stack.http().get('/favicon.ico').expect(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const signIn = await stack.http().get('/login').expect(200);
    expect(signIn.text).not.toContain('npm');
    expect(signIn.text).not.toContain('ctl');
    const [item] = await stack.inReviewOnOneAccount(1);
    const pages = await Promise.all(
      [
        `/`,
        `/review/${item.submissionId}`,
        `/search?q=${item.accountNumber}`,
        `/meters/${encodeURIComponent(item.meterSerial)}`,
        '/dashboard?month=2026-11',
      ].map(async (path) => (await page(path, supervisor).expect(200)).text),
    );
    for (const html of pages) {
      expect(html).not.toMatch(/cold_water|hot_water|supervisor|\b20\d\d-\d\d-\d\d\b(?![^<]*">)/);
      expect(html).toContain('старший оператор');
    }
    const [, review, search, meter] = pages;
    expect(search).toContain('<td>холодная вода</td><td>1</td>');
    expect(meter).toContain('<dd>холодная вода, зон: 1');
    expect(meter).toContain('<dd>10.01.2024 — до 10.01.2030 (');
    expect(review).toContain('<dt>Период</dt><dd>ноябрь 2026</dd>');
    // Nothing was rejected for an expired verification: a new check would change nothing.
    expect(meter).toContain(
      '<button type="submit" disabled aria-describedby="revalidate-why">Проверить заново</button>',
    );
    expect(meter).toContain('id="revalidate-why">Перепроверять нечего');
  });
});
