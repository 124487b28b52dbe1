import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { SubmissionMessage } from '@gw/contracts';
import { DAY_MS, formatDate, moscowDate, toMoscowIso } from '@gw/domain';
import { bearer, ReviewStack } from '../backoffice/review-harness';
import { accessibilityViolations } from '../support/axe';
import { submission } from '../support/factories';
import { type Browser, launchChromium } from '../support/chromium';

const SCREENSHOTS = resolve(__dirname, '..', '..', 'artifacts', 'screenshots', 'backoffice');
/** The pages shown in docs/back-office.md; `BACKOFFICE_SCREENSHOTS_TO_DOCS=1` refreshes them. */
const DOCS_IMG = resolve(__dirname, '..', '..', 'docs', 'img');
const DOCS_PAGES = ['queue', 'bulk-result', 'meter', 'statistics', 'audit'];

describe('back-office tools in headless Chromium, at the keyboard', () => {
  let stack: ReviewStack;
  let browser: Browser;
  let page: Page;
  let base: string;
  let admin: { login: string; password: string };
  let items: SubmissionMessage[];
  const cspRefusals: string[] = [];

  /** A screenshot in artifacts/; `DOCS_PAGES` also in docs/img when asked to refresh them. */
  const shot = async (name: string) => {
    const path = join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    if (process.env.BACKOFFICE_SCREENSHOTS_TO_DOCS === '1' && DOCS_PAGES.includes(name))
      copyFileSync(path, join(DOCS_IMG, `backoffice-${name}.png`));
  };
  const path = () => new URL(page.url()).pathname;
  const focused = () => page.evaluate('document.activeElement?.getAttribute("name")');
  const expectAccessible = async () => expect(await accessibilityViolations(page)).toEqual([]);
  /** The field `#id` is marked invalid and tied to its message `#id-error`, an alert. */
  const expectRefused = async (id: string) => {
    expect(await page.getAttribute(`#${id}`, 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(`#${id}`, 'aria-describedby')).toBe(`${id}-error`);
    expect(await page.getAttribute(`#${id}-error`, 'role')).toBe('alert');
  };

  /** Clicks a «Скачать CSV» link and reads the file the browser saved. */
  const download = async (): Promise<{ name: string; bytes: Buffer }> => {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Скачать CSV")'),
    ]);
    return { name: file.suggestedFilename(), bytes: readFileSync((await file.path()) as string) };
  };
  const csvLines = (bytes: Buffer) => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    return text.split('\r\n').slice(0, -1);
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await ReviewStack.start();
    base = `http://127.0.0.1:${(stack.app.getHttpServer().address() as AddressInfo).port}`;
    admin = await stack.credentials('admin');
    // 52 items of one account: two pages of the queue's 50.
    items = await stack.inReviewOnOneAccount(52);
    browser = await launchChromium({ width: 1280, height: 900 });
    page = browser.page;
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspRefusals.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  afterEach(() => expect(cspRefusals).toEqual([]));

  it('signs in with the keyboard alone; a refused password is announced', async () => {
    await page.goto(`${base}/`);
    expect(path()).toBe('/login');
    expect((await page.request.get(`${base}/favicon.ico`)).status()).toBe(200);
    expect(await page.textContent('main')).not.toMatch(/npm|ctl/);
    await expectAccessible();
    await shot('sign-in');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('login');
    await page.keyboard.type(admin.login);
    await page.keyboard.press('Tab');
    await page.keyboard.type('не тот пароль');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[role=alert]');
    expect(await page.textContent('[role=alert]')).toBe('Неверный логин или пароль.');
    await expectAccessible();
    await page.focus('input[name=password]');
    await page.keyboard.type(admin.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/`);
    expect(await page.textContent('header .who')).toContain('администратор');
  });

  it('pages through the queue and searches it by account and by meter serial', async () => {
    const account = items[0].accountNumber;
    await page.fill('input[name=q]', account);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === account);
    expect(await page.textContent('#queue-total')).toBe('52');
    expect(await page.locator('#queue tbody tr').count()).toBe(50);
    expect(await page.textContent('#queue-page')).toBe('Страница 1 из 2');
    await expectAccessible();
    await shot('queue');
    await page.click('a[rel=next]');
    expect(await page.locator('#queue tbody tr').count()).toBe(2);
    expect(await page.textContent('#queue-page')).toBe('Страница 2 из 2');
    await expectAccessible();

    await page.fill('input[name=q]', items[7].meterSerial);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === items[7].meterSerial);
    expect(await page.locator('#queue tbody tr').count()).toBe(1);
    expect(await page.getAttribute('#queue tbody tr', 'data-id')).toBe(items[7].submissionId);
  });

  it('decides ticked items in bulk, announcing a form left incomplete and each item refused', async () => {
    const other = await stack.operator('operator');
    await page.goto(`${base}/?q=${items[0].accountNumber}&page=2`);
    // The page's two items (oldest first, then by id): one is taken by another operator meanwhile.
    const rows = page.locator('#queue tbody tr');
    const [free, held] = (await Promise.all(
      [0, 1].map((n) => rows.nth(n).getAttribute('data-id')),
    )) as string[];
    await stack.http().post(`/v1/review/${held}/claim`).set(bearer(other.token)).expect(200);
    await page.click('#bulk-approve');
    await page.waitForSelector('#bulk-comment-error');
    await expectRefused('bulk-comment');
    expect(await page.getAttribute('#bulk-ids-error', 'role')).toBe('alert');
    await expectAccessible();
    await shot('bulk-errors');

    // Ticked with the space bar, the comment typed, the button pressed with Enter.
    for (const id of [free, held]) {
      await page.focus(`input[name=ids][value="${id}"]`);
      await page.keyboard.press('Space');
    }
    await page.focus('#bulk-comment');
    await page.keyboard.type('Сверено с фото счётчиков');
    await page.focus('#bulk-approve');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#bulk-results');
    expect(await page.textContent('#bulk-results h2')).toBe('Решено 1 из 2');
    expect(await page.textContent(`#bulk-results tr[data-id="${free}"]`)).toContain(
      'решено, исход отправлен',
    );
    expect(await page.textContent(`#bulk-results tr[data-id="${held}"]`)).toContain(
      'не решено: Запись уже взята в работу другим оператором.',
    );
    expect(await page.getAttribute('#bulk-results', 'role')).toBe('status');
    expect(await page.textContent('#queue-total')).toBe('51');
    await expectAccessible();
    await shot('bulk-result');
  });

  it('exports the queue as the page filters it', async () => {
    await page.goto(`${base}/?q=${items[0].accountNumber}`);
    const { name, bytes } = await download();
    expect(name).toMatch(/^review-queue-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csvLines(bytes);
    expect(lines[0]).toBe(
      'Получено;Канал;Лицевой счёт;Прибор;Период;Показание;Расход;Причины;В работе у;Идентификатор',
    );
    // Every open item of the account, not only the page's 50.
    expect(lines).toHaveLength(1 + 51);
  });

  it('opens a review item, a search and a meter page, all accessible', async () => {
    await page.click(`#queue tr[data-id="${items[0].submissionId}"] a`);
    expect(path()).toBe(`/review/${items[0].submissionId}`);
    await expectAccessible();
    await page.fill('#reject-comment', ' ');
    await page.click('#reject');
    await page.waitForSelector('#reject-comment-error');
    await expectRefused('reject-comment');
    expect(await page.textContent('#reject-comment-error')).toBe(
      'Напишите комментарий к решению (до 1000 знаков).',
    );
    await expectAccessible();
    await page.click('header a:has-text("Поиск")');
    await page.fill('input[name=q]', '0000000000');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#search-error');
    expect(await page.getAttribute('input[name=q]', 'aria-invalid')).toBe('true');
    await expectAccessible();
    await page.fill('input[name=q]', items[0].accountNumber);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#meters');
    expect(await page.textContent('#meters tbody tr')).toContain('холодная вода');
    await expectAccessible();
    await page.click(`#meters a:has-text("${items[0].meterSerial}")`);
    expect(await page.isDisabled('button:has-text("Проверить заново")')).toBe(true);
    expect(await page.textContent('#revalidate-why')).toContain('Перепроверять нечего');
    await expectAccessible();
    await shot('meter');
    await page.goto(`${base}/review/00000000-0000-4000-8000-000000000000`);
    expect(await page.textContent('h1')).toBe('Не найдено');
    await expectAccessible();
  });

  it('opens a suspected swap of cold and hot water with its swap form, all accessible', async () => {
    // One account's cold meter at 300 m³ and hot meter at 150 m³, read a month ago: each value
    // typed for the other meter goes to review as SUSPECTED_SWAP.
    const readAt = new Date(Date.now() - 3600_000);
    const installedOn = formatDate(moscowDate(new Date(readAt.getTime() - 31 * DAY_MS)));
    const { account, cold, hot } = await stack.waterAccount(installedOn);
    const swapped = [
      [cold, '00155.000'],
      [hot, '00305.000'],
    ].map(([meterSerial, value]) =>
      submission({
        accountNumber: account,
        meterSerial,
        values: [{ zone: 'T1', value }],
        readAt: toMoscowIso(readAt),
        receivedAt: toMoscowIso(new Date()),
      }),
    );
    await stack.publish(swapped);
    expect([...(await stack.decided(swapped.map((m) => m.submissionId))).values()]).toEqual([
      'needs_review',
      'needs_review',
    ]);

    await page.goto(`${base}/review/${swapped[0].submissionId}`);
    expect(await page.textContent('#swap-form')).toContain(hot);
    await expectAccessible();
    await page.fill('#swap-comment', ' ');
    await page.click('#approve-swapped');
    await page.waitForSelector('#swap-comment-error');
    await expectRefused('swap-comment');
    await expectAccessible();
  });

  it('shows the statistics of a range of days and exports them', async () => {
    const today = new Date(Date.now() + 3 * 3600 * 1000).toISOString().slice(0, 10);
    // From the first of this month: within the 366 days a range may span, whenever it runs.
    const from = `${today.slice(0, 8)}01`;
    const shown = from.split('-').reverse().join('\\.');
    await page.goto(`${base}/dashboard`);
    await expectAccessible();
    await page.fill('input[name=from]', '2026-11-01');
    await page.fill('input[name=to]', '2025-11-01');
    await page.click('button:has-text("Показать за период")');
    await page.waitForSelector('#stats-to-error');
    expect(await page.getAttribute('input[name=to]', 'aria-invalid')).toBe('true');
    await expectAccessible();
    await page.fill('input[name=from]', from);
    await page.fill('input[name=to]', today);
    await page.click('button:has-text("Показать за период")');
    await page.waitForSelector('#totals');
    expect(await page.textContent('h1')).toMatch(
      new RegExp(`^Каналы: ${shown} – \\d\\d\\.\\d\\d\\.\\d{4}$`),
    );
    await expectAccessible();
    await shot('statistics');
    const { name, bytes } = await download();
    expect(name).toBe(`channel-stats-${from}-${today}.csv`);
    const lines = csvLines(bytes);
    expect(lines[0]).toBe(
      'День;Канал;Получено;Принято;Повторы;Отклонено;На проверке;Отклонено по причинам',
    );
    expect(lines[1]).toMatch(new RegExp(`^${shown};Личный кабинет;\\d+;`));
  });

  it('shows an administrator the audit log by operator and action, and exports it', async () => {
    await page.click('header a:has-text("Журнал действий")');
    expect(path()).toBe('/audit');
    await page.fill('input[name=login]', admin.login);
    await page.selectOption('select[name=action]', 'review.approve');
    await page.click('form.filters button');
    await page.waitForURL(/action=review.approve/);
    const rows = page.locator('#audit tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('принятие показания');
    expect(await rows.first().textContent()).toContain('администратор');
    await expectAccessible();
    await page.selectOption('select[name=action]', '');
    await page.click('form.filters button');
    await page.waitForSelector('#audit');
    await shot('audit');
    const { name, bytes } = await download();
    expect(name).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csvLines(bytes);
    expect(lines[0]).toBe('Время;Оператор;Роль;Действие;Объект;До;После;Номер записи');
    // Two sign-in attempts (one refused is not recorded) and the approval, newest first.
    expect(lines.slice(1).map((l) => l.split(';')[3])).toEqual(['принятие показания', 'вход']);
  });

  it('shows the estimates and a meter with its verifications in Russian, all accessible', async () => {
    await page.click('header a:has-text("Без показаний")');
    await page.fill('input[name=period]', '2026-10');
    await page.click('form.filters button');
    await page.waitForURL(/period=2026-10/);
    expect(await page.textContent('#estimates-period')).toBe('октябрь 2026');
    expect(await page.title()).toBe(
      'Начисления без показаний за октябрь 2026 — бэк-офис показаний',
    );
    await expectAccessible();
    // A period typed by hand into the address that is not a month comes back marked in the form.
    await page.goto(`${base}/estimates?period=2026-13`);
    await expectRefused('period');
    expect(await page.textContent('#period-error')).toBe(
      'Укажите месяц: год и месяц, например 2026-10.',
    );
    await expectAccessible();

    const meter = `${base}/meters/${encodeURIComponent(items[1].meterSerial)}`;
    await page.goto(meter);
    await page.fill('input[name=verifiedOn]', '2026-11-02');
    // Blanks pass the browser's own check; the server sends the form back, the field marked.
    await page.fill('input[name=certificateNo]', '   ');
    await page.click('button:has-text("Записать поверку")');
    await page.waitForSelector('#verification-certificateNo-error');
    await expectRefused('verification-certificateNo');
    expect(await page.inputValue('#verification-verifiedOn')).toBe('2026-11-02');
    await expectAccessible();
    await page.fill('input[name=certificateNo]', 'С-2026/118');
    await page.click('button:has-text("Записать поверку")');
    await page.waitForSelector('.flash.ok');
    const latest = await page.textContent('#verifications tbody tr');
    expect(latest).toContain('02.11.2026');
    expect(latest).toContain('02.11.2032');
    expect(latest).toContain('оператор');
    expect(latest).toContain(`${admin.login}, `);
    expect(latest).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(await page.isVisible('button:has-text("Запросить во ФГИС «Аршин»")')).toBe(true);
    await expectAccessible();
  });

  it('signs out with the keyboard', async () => {
    await page.focus('header form button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/login/);
    await expectAccessible();
  });
});
