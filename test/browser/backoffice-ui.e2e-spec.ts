import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { CHANNELS } from '@gw/contracts';
import { ReviewStack } from '../backoffice/review-harness';
import { type Browser, launchChromium } from '../support/chromium';
import { registryRecord, seedMeters, submission } from '../support/factories';

const SCREENSHOTS = resolve(__dirname, '..', '..', 'artifacts', 'screenshots');
/** The review item with its slip in docs/back-office.md; `BACKOFFICE_SCREENSHOTS_TO_DOCS=1` refreshes it. */
const DOCS_IMG = resolve(__dirname, '..', '..', 'docs', 'img');

/** A tear-off slip as a scanning centre's scanner would send it, drawn by the browser itself. */
async function scannedSlip(browser: Browser, serial: string, account: string): Promise<Buffer> {
  const scanner = await browser.context.newPage();
  try {
    await scanner.setViewportSize({ width: 520, height: 300 });
    await scanner.setContent(`<body style="margin:0;background:#fbfaf4;font:15px 'DejaVu Sans',sans-serif;color:#222">
<div style="margin:12px;padding:12px 16px;border:2px dashed #999;height:250px;box-sizing:border-box">
<div style="font-weight:bold;font-size:17px">КВИТАНЦИЯ · показания приборов учёта</div>
<div style="margin-top:8px">Лицевой счёт: ${account}</div><div>Период: 11.2026</div>
<table style="margin-top:12px;border-collapse:collapse"><tr><th style="border:1px solid #555;padding:4px 8px">Прибор</th><th style="border:1px solid #555;padding:4px 8px">Т1</th></tr>
<tr><td style="border:1px solid #555;padding:4px 8px">${serial}</td><td style="border:1px solid #555;padding:4px 8px;font:italic 22px 'DejaVu Serif',serif;color:#1b3f8f">00111,25</td></tr></table>
<div style="margin-top:14px;font-size:12px;color:#666">Подпись ______________</div></div></body>`);
    return await scanner.screenshot({ type: 'png' });
  } finally {
    await scanner.close();
  }
}

describe('backoffice web UI in headless Chromium', () => {
  let stack: ReviewStack;
  let browser: Browser;
  let page: Page;
  let base: string;
  let supervisor: { login: string; password: string };

  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await ReviewStack.start();
    base = `http://127.0.0.1:${(stack.app.getHttpServer().address() as AddressInfo).port}`;
    supervisor = await stack.credentials('supervisor');
    browser = await launchChromium({ width: 1280, height: 900 });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('sends a visitor to the sign-in page and signs an operator in', async () => {
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=login]', supervisor.login);
    await page.fill('input[name=password]', 'wrong password');
    await page.click('button[type=submit]');
    expect(await page.textContent('.flash.error')).toContain('Неверный логин или пароль');
    await shot('01-sign-in-refused');
    await page.fill('input[name=password]', supervisor.password);
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.textContent('h1')).toBe('Очередь проверки');
    expect(await page.textContent('header .who')).toContain(supervisor.login);
    // The stylesheet is served and allowed by the page's CSP.
    const headerColour = await page.evaluate(
      "getComputedStyle(document.querySelector('header.top')).backgroundColor",
    );
    expect(headerColour).toBe('rgb(31, 58, 95)');
  });

  it('approves a slip from the review queue, seeing the reading, the meter history and the slip image', async () => {
    const [slip] = await stack.inReview(['low-confidence']);
    // What slip-ingest records for an uploaded row: the batch line with its image reference.
    await stack.db.query(
      `INSERT INTO scanning_centres (centre_id, login, password_hash) VALUES ('SC-UI', 'sc-ui', 'x')
       ON CONFLICT DO NOTHING`,
    );
    await stack.db.query(
      `INSERT INTO slip_batches (centre_id, batch_id, upload, status, received_at, heartbeat_at)
       VALUES ('SC-UI', $1, 1, 'complete', now(), now())`,
      [`B-${slip.submissionId.slice(0, 8)}`],
    );
    await stack.db.query(
      `INSERT INTO slip_batch_rows (centre_id, batch_id, row_no, upload, slip_id, meter_serial, zone, image_ref, submission_id)
       VALUES ('SC-UI', $1, 1, 1, 'S-000001', $2, 'T1', '2026/11/20/S-000001.png', $3)`,
      [`B-${slip.submissionId.slice(0, 8)}`, slip.meterSerial, slip.submissionId],
    );
    await stack.db.query(
      `INSERT INTO slip_images (centre_id, image_ref, content_type, size, bytes)
       VALUES ('SC-UI', '2026/11/20/S-000001.png', 'image/png', octet_length($1::bytea), $1::bytea)
       ON CONFLICT (centre_id, image_ref) DO UPDATE SET bytes = EXCLUDED.bytes, size = EXCLUDED.size`,
      [await scannedSlip(browser, slip.meterSerial, slip.accountNumber)],
    );
    await page.goto(`${base}/?channel=paper-slip`);
    const row = page.locator(`tr[data-id="${slip.submissionId}"]`);
    expect(await row.textContent()).toContain('низкая уверенность распознавания');
    await shot('02-review-queue');
    await row.locator('a').click();
    expect(await page.textContent('#image-ref')).toBe('2026/11/20/S-000001.png');
    // The scan itself, beside the values, loaded from this origin as the page's CSP allows.
    const scan = page.locator('#slip-image img');
    // The click returns once the page starts loading; the image comes after it (or fails to).
    await page.waitForLoadState('load');
    const loaded = await page.evaluate(
      "(() => { const img = document.querySelector('#slip-image img'); return img.complete && img.naturalWidth; })()",
    );
    expect(loaded).toBe(520);
    const [values, image] = await Promise.all([
      page.locator('#reading dl.facts').boundingBox(),
      scan.boundingBox(),
    ]);
    expect(image!.x).toBeGreaterThan(values!.x + values!.width);
    expect(await page.locator('#history tbody tr').count()).toBe(1);
    await page.click('#claim');
    expect(await page.textContent('.flash.ok')).toBe('Запись взята в работу.');
    await page.fill('#approve-form input[name=T1]', '00111,250');
    await page.fill('#approve-form textarea[name=comment]', 'Сверено со сканом квитанции');
    await shot('03-review-item');
    if (process.env.BACKOFFICE_SCREENSHOTS_TO_DOCS === '1')
      copyFileSync(
        join(SCREENSHOTS, '03-review-item.png'),
        join(DOCS_IMG, 'backoffice-review-slip.png'),
      );
    await page.click('#approve');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.textContent('.flash.ok')).toBe('Показание принято, исход отправлен.');
    expect(await page.locator(`tr[data-id="${slip.submissionId}"]`).count()).toBe(0);
    await shot('04-approved');

    const [outcome] = (await stack.outcomesOf(slip.submissionId, 2)).slice(1);
    expect(outcome).toMatchObject({
      status: 'accepted',
      consumption: [{ zone: 'T1', value: '11.250' }],
    });
    const [stored] = await stack.db.query(
      `SELECT status, submitted_values FROM readings WHERE submission_id = $1`,
      [slip.submissionId],
    );
    expect(stored).toEqual({
      status: 'accepted',
      submitted_values: [{ zone: 'T1', value: '00111.250' }],
    });
  });

  it('shows a refused correction on the item page and keeps the item open', async () => {
    const [spike] = await stack.inReview(['spike']);
    await page.goto(`${base}/review/${spike.submissionId}`);
    await page.fill('#approve-form input[name=T1]', '1234567');
    await page.fill('#approve-form textarea[name=comment]', 'опечатка');
    await page.click('#approve');
    expect(new URL(page.url()).pathname).toBe(`/review/${spike.submissionId}`);
    expect(await page.textContent('.flash.error')).toBe(
      'Показание не прошло проверку: неверный формат показания (VALUE_FORMAT).',
    );
    await page.selectOption('#reject-form select[name=reason]', 'CONSUMPTION_SPIKE');
    await page.fill('#reject-form textarea[name=comment]', 'Расход невозможен');
    await page.click('#reject');
    expect(await page.textContent('.flash.ok')).toBe('Показание отклонено, исход отправлен.');
  });

  it('finds an account and its meter', async () => {
    const [spike] = await stack.inReview(['spike']);
    await page.goto(`${base}/search`);
    await page.fill('input[name=q]', spike.accountNumber);
    await page.click('form.filters button');
    await page.click(`#meters a:has-text("${spike.meterSerial}")`);
    expect(await page.textContent('h1')).toBe(`Прибор учёта ${spike.meterSerial}`);
    expect(await page.locator('#readings tbody tr').count()).toBe(1);
    expect(await page.textContent('#revalidatable')).toBe('0');
  });

  it("shows the month's channel dashboard with a chart", async () => {
    // April 2031, a month of its own: every channel on most days, some rejected, some in review.
    const days = 20;
    // A varied month: 0 to 5 readings a day per channel, each on a meter of its own.
    const plan = Array.from({ length: days }, (_, d) =>
      CHANNELS.map((channel, c) => ({
        day: d + 1,
        channel,
        count: ((d + 1) * (c + 1) + c * 3) % 6,
      })),
    ).flat();
    const total = plan.reduce((sum, p) => sum + p.count, 0);
    const meters = await seedMeters(
      stack.db,
      Array.from({ length: total }, () =>
        registryRecord({
          installed_on: '2030-06-01',
          verified_on: '2030-06-01',
          initial_on: '2031-03-01',
        }),
      ),
    );
    let next = 0;
    const messages = plan.flatMap(({ day, channel, count }) =>
      Array.from({ length: count }, () => {
        const i = next++;
        const value =
          i % 11 === 0 ? '1234567' : i % 13 === 0 ? '00900.000' : `00${110 + (i % 9)}.000`;
        const at = `2031-04-${String(day).padStart(2, '0')}T1${i % 10}:00:00+03:00`;
        return submission({
          channel,
          accountNumber: meters[i].accountNumber,
          meterSerial: meters[i].serial,
          values: [{ zone: 'T1', value }],
          readAt: at,
          receivedAt: at,
          confidence: channel === 'paper-slip' ? (i % 4 === 0 ? 0.7 : 0.97) : null,
        });
      }),
    );
    await stack.publish(messages);
    await stack.decided(messages.map((m) => m.submissionId));

    await page.goto(`${base}/dashboard?month=2031-04`);
    expect(await page.textContent('h1')).toBe('Каналы: апрель 2031');
    expect(await page.locator('svg.chart').isVisible()).toBe(true);
    // One stacked segment per day and channel that received anything.
    const segments = new Set(messages.map((m) => `${m.receivedAt.slice(0, 10)}|${m.channel}`));
    expect(await page.locator('svg.chart rect.bar').count()).toBe(segments.size);
    const received = await page.locator('#totals tbody tr td:nth-child(2)').allTextContents();
    expect(received.map(Number).reduce((a, b) => a + b, 0)).toBe(messages.length);
    expect(await page.locator('#reasons').textContent()).toContain('VALUE_FORMAT');
    await shot('05-dashboard');
  });

  it('signs out', async () => {
    await page.click('header form button');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.goto(`${base}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});
