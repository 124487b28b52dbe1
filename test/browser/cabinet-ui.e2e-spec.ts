import type { INestApplication } from '@nestjs/common';
import { copyFileSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import {
  lastCode,
  seedCharges,
  startCabinet,
  TestClock,
  uniqueEmail,
} from '../cabinet/cabinet-support';
import { accessibilityViolations as axeViolations } from '../support/axe';
import { type Browser, launchChromium } from '../support/chromium';
import { registryRecord, seedMeters, uniqueAccount, uniqueSerial } from '../support/factories';
import { testDatabase } from '../support/infra';
import { startProcessor } from '../support/processor';

const SCREENSHOTS = resolve(__dirname, '..', '..', 'artifacts', 'screenshots', 'cabinet');
/** The pages shown in docs/residents-pages.md; `CABINET_SCREENSHOTS_TO_DOCS=1` refreshes them. */
const DOCS_IMG = resolve(__dirname, '..', '..', 'docs', 'img');

describe('residents’ pages in headless Chromium, phone-sized', () => {
  const clock = new TestClock();
  let mail: MailCatcher;
  let db: DataSource;
  let app: INestApplication;
  let processor: INestApplication;
  let browser: Browser;
  let page: Page;
  let base: string;
  const cspRefusals: string[] = [];
  const accountNumber = uniqueAccount();
  const cold = uniqueSerial('C');
  const hot = uniqueSerial('H');
  const email = uniqueEmail();

  const shot = async (name: string) => {
    const path = join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    if (process.env.CABINET_SCREENSHOTS_TO_DOCS === '1')
      copyFileSync(path, join(DOCS_IMG, `cabinet-${name}.png`));
  };

  const accessibilityViolations = () => axeViolations(page);

  const path = () => new URL(page.url()).pathname;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    mail = await startMailCatcher();
    db = await testDatabase();
    processor = await startProcessor();
    // Plain HTTP: the same explicit setting `npm start` uses for local development.
    app = await startCabinet(clock, mail.url, { CABINET_COOKIE_SECURE: 'false' });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    await seedMeters(db, [
      registryRecord({ account_number: accountNumber, serial: cold }),
      registryRecord({ account_number: accountNumber, serial: hot, resource: 'hot_water' }),
    ]);
    await seedCharges(db, [{ accountNumber, period: '2026-10', amountCharged: '4598.70' }]);
    browser = await launchChromium({ width: 390, height: 844 });
    page = browser.page;
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspRefusals.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await processor?.close();
    await mail?.close();
    await db?.destroy();
  });

  afterEach(() => expect(cspRefusals).toEqual([]));

  it('registers a resident by payment document, answering mistakes in Russian', async () => {
    await page.goto(`${base}/`);
    expect(path()).toBe('/login');
    await page.click('text=Зарегистрируйтесь');
    expect(await page.textContent('h1')).toBe('Регистрация в личном кабинете');
    // The stylesheet is served and allowed by the page's CSP.
    expect(
      await page.evaluate("getComputedStyle(document.querySelector('header.top')).backgroundColor"),
    ).toBe('rgb(15, 76, 129)');
    expect(await accessibilityViolations()).toEqual([]);
    await shot('01-register');

    await page.fill('#accountNumber', accountNumber);
    await page.selectOption('#period', '2026-10');
    await page.fill('#amountCharged', '4598,705');
    await page.fill('#email', 'ivanova');
    await page.fill('#phone', '8 (916) 123-45-67');
    await page.click('button[type=submit]');
    expect(await page.textContent('#form-errors')).toContain('не больше двух цифр копеек');
    expect(await page.getAttribute('#amountCharged', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#email', 'aria-describedby')).toBe('email-hint email-error');
    expect(await page.inputValue('#accountNumber')).toBe(accountNumber);
    expect(await accessibilityViolations()).toEqual([]);
    await shot('02-register-errors');
    // The summary's links lead to the fields to correct.
    await page.click('#form-errors a[href="#email"]');
    expect(await page.evaluate('document.activeElement.id')).toBe('email');

    await page.fill('#amountCharged', '4 598,70');
    await page.fill('#email', email);
    await page.click('button[type=submit]');
    expect(path()).toMatch(/^\/register\/[0-9a-f-]{36}$/);
    expect(await page.textContent('h1')).toBe('Подтверждение почты');
    expect(await accessibilityViolations()).toEqual([]);
    await shot('03-confirm-code');
    // Keyboard only: type the code and press Enter.
    await page.focus('#code');
    await page.keyboard.type(lastCode(mail, email));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/accounts/);
    expect(await page.textContent('.flash.ok')).toContain('Регистрация завершена');
    expect(await page.textContent('#accounts')).toContain(`Лицевой счёт ${accountNumber}`);
    expect(await accessibilityViolations()).toEqual([]);
    await shot('04-accounts');
  });

  it('shows the meters and passes readings to their decisions', async () => {
    await page.click(`#accounts a[href="/accounts/${accountNumber}"]`);
    expect(await page.textContent('h1')).toBe(`Лицевой счёт ${accountNumber}`);
    const coldCard = page.locator(`fieldset[data-serial="${cold}"]`);
    expect(await coldCard.textContent()).toContain('Холодная вода');
    expect(await coldCard.textContent()).toContain('до 10.01.2030 (действует)');
    expect(await coldCard.textContent()).toContain('будут учтены за ноябрь 2026');
    expect(await coldCard.textContent()).toContain('Прошлое принятое: 100.000');
    expect(await page.textContent('.guidance')).toContain('Достаточно целой части');
    expect(await page.textContent('.guidance')).toContain('Не перепутайте холодную и горячую воду');
    expect(await accessibilityViolations()).toEqual([]);
    await shot('05-account');

    const coldInput = coldCard.locator('input[inputmode=decimal]');
    const hotInput = page.locator(`fieldset[data-serial="${hot}"] input[inputmode=decimal]`);
    await coldInput.fill('112,5x');
    await hotInput.fill('1234567');
    await page.click('#submit-readings');
    expect(await page.textContent('#form-errors')).toContain('Введите число');
    expect(await page.textContent('#form-errors')).toContain('Слишком много цифр до запятой');
    expect(await coldInput.getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityViolations()).toEqual([]);
    await shot('06-reading-errors');

    await coldInput.fill('00112,5');
    // Lower than last time on hot water: the centre rejects it and says why.
    await hotInput.fill('50');
    await page.click('#submit-readings');
    expect(path()).toBe(`/accounts/${accountNumber}/readings`);
    // The page comes back (and reloads itself) until the processor has decided both.
    await page.waitForSelector('#result-state:has-text("Проверка завершена")', { timeout: 30000 });
    const coldResult = await page.textContent('#results li:has-text("Холодная вода")');
    expect(coldResult).toContain('Показания приняты.');
    expect(coldResult).toContain('расчётный период — ноябрь 2026');
    const hotResult = await page.textContent('#results li:has-text("Горячая вода")');
    expect(hotResult).toContain('Показания не приняты.');
    expect(hotResult).toContain('Показание меньше предыдущего принятого');
    expect(await accessibilityViolations()).toEqual([]);
    await shot('07-decisions');
  });

  it('shows a meter’s history with consumption per period', async () => {
    await page.goto(`${base}/accounts/${accountNumber}`);
    await page.click(`a[href="/accounts/${accountNumber}/meters/${encodeURIComponent(cold)}"]`);
    expect(await page.textContent('h1')).toBe(`Холодная вода: счётчик ${cold}`);
    expect(await page.textContent('#consumption tbody')).toBe('ноябрь 202612.500');
    const rows = page.locator('#readings tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Показания приняты.');
    expect(await accessibilityViolations()).toEqual([]);
    await shot('08-history');
  });

  it('signs out with the keyboard, and the session is over', async () => {
    await page.focus('#sign-out');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/login/);
    expect(await page.textContent('.flash.ok')).toBe('Вы вышли из личного кабинета.');
    expect(await accessibilityViolations()).toEqual([]);
    await shot('09-signed-out');
    await page.goto(`${base}/accounts/${accountNumber}`);
    expect(path()).toBe('/login');
  });
});
