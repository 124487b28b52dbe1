import type { AccountMetersDto, CabinetMeterDto } from '../../accounts/account.dto';
import { accountPage } from './account.page';
import { accountsPage } from './accounts.page';
import { registerPage } from './register.page';
import { codePage, signInPage } from './sign-in.page';

const HOSTILE = '<script>alert(1)</script>"';

const meter = (overrides: Partial<CabinetMeterDto> = {}): CabinetMeterDto => ({
  serial: HOSTILE,
  resource: 'electricity',
  resourceName: 'Электроэнергия',
  zones: ['T1', 'T2'],
  integerDigits: 6,
  fractionDigits: 1,
  verification: { status: 'due_soon', dueOn: '2026-12-10', notice: 'Срок поверки истекает.' },
  acceptsReadings: true,
  lastAccepted: {
    readAt: '2026-10-20T09:00:00.000+03:00',
    billingPeriod: '2026-10',
    values: [
      { zone: 'T1', value: '4512.3' },
      { zone: 'T2', value: '1877.0' },
    ],
  },
  window: { open: false, opensOn: '2026-12-15', closesOn: '2026-12-26', billingPeriod: '2026-12' },
  reminders: [],
  ...overrides,
});

const account: AccountMetersDto = {
  accountNumber: '5001234567',
  today: '2026-11-27',
  meters: [
    meter({
      reminders: [
        { dueOn: '2026-12-10', daysLeft: 30, publishedAt: '2026-11-10T09:00:00.000+03:00' },
        { dueOn: '2026-12-10', daysLeft: 60, publishedAt: '2026-10-11T09:00:00.000+03:00' },
      ],
    }),
    meter({ serial: 'X-1', acceptsReadings: false, zones: ['T1'] }),
    meter({
      serial: 'U-1',
      acceptsReadings: false,
      zones: ['T1'],
      verification: {
        status: 'expired',
        dueOn: '2026-11-18',
        notice: 'Счётчик непригоден.',
        unfitSince: '2026-11-19',
      },
    }),
  ],
};

const pages: [string, string][] = [
  [
    'sign-in',
    signInPage({
      csrf: 'c',
      email: HOSTILE,
      next: '/accounts',
      errors: { email: 'e' },
      notice: null,
    }),
  ],
  [
    'code',
    codePage({
      csrf: 'c',
      title: 'Код',
      action: '/login/code',
      sentTo: HOSTILE,
      hidden: { email: HOSTILE },
      errors: { code: 'e' },
      error: null,
      again: { href: '/login', text: 'ещё раз' },
    }),
  ],
  [
    'registration',
    registerPage({
      csrf: 'c',
      values: {
        accountNumber: HOSTILE,
        period: '2026-10',
        amountCharged: '',
        email: '',
        phone: '',
      },
      periods: ['2026-10', '2026-09', '2026-08'],
      errors: { accountNumber: 'e', period: 'e' },
      error: null,
    }),
  ],
  [
    'accounts',
    accountsPage({
      csrf: 'c',
      accounts: [{ accountNumber: '5001234567', linkedAt: '2026-11-20T10:00:00.000+03:00' }],
      values: { accountNumber: '', period: '2026-10', amountCharged: '' },
      periods: ['2026-10'],
      errors: {},
      error: null,
      notice: null,
    }),
  ],
  [
    'account',
    accountPage({
      csrf: 'c',
      account,
      idempotencyKey: 'k',
      typed: { 'v-0-T1': HOSTILE },
      errors: { 'v-0-T1': 'e' },
      error: null,
      notice: null,
    }),
  ],
];

describe('the residents’ pages', () => {
  it.each(pages)('%s: escapes what it shows and runs no script', (_name, html) => {
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/ on[a-z]+=/);
  });

  it.each(pages)('%s: labels every input and select, and ties errors to them', (_name, html) => {
    const controls = [...html.matchAll(/<(input|select)\b([^>]*)>/g)]
      .map((m) => m[2])
      .filter((attrs) => !attrs.includes('type="hidden"'));
    expect(controls.length).toBeGreaterThan(0);
    for (const attrs of controls) {
      const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
      expect(id).toBeDefined();
      expect(html).toContain(`<label for="${id}">`);
      if (attrs.includes('aria-invalid="true"'))
        expect(attrs).toMatch(new RegExp(`aria-describedby="[^"]*${id}-error`));
    }
  });

  it('shows each meter with its window, the period a reading counts for, and its verification', () => {
    const html = pages.find(([name]) => name === 'account')?.[1] as string;
    expect(html).toContain('приём закрыт, откроется 15.12.2026');
    expect(html).toContain('будут учтены за <strong>декабрь 2026</strong>');
    expect(html).toContain('до 10.12.2026 (скоро истекает)');
    expect(html).toContain('<p class="notice">Срок поверки истекает.</p>');
    expect(html).toContain('Т1: 4512.3, Т2: 1877.0');
    // One input per zone of a meter that takes readings, none for one that does not.
    expect(html.match(/inputmode="decimal"/g)).toHaveLength(2);
    expect(html).toContain('Показания по этому счётчику не принимаются.');
  });

  it('shows a meter found unfit as unfit, not as a lapsed due date', () => {
    const html = pages.find(([name]) => name === 'account')?.[1] as string;
    expect(html).toContain('<dd>счётчик непригоден с 19.11.2026</dd>');
    expect(html).not.toContain('до 18.11.2026');
  });

  it('shows the latest verification reminder next to its meter, and none for a meter without', () => {
    const html = pages.find(([name]) => name === 'account')?.[1] as string;
    expect(html.match(/class="notice reminder"/g)).toHaveLength(1);
    expect(html).toContain(
      'Напоминание от 10.11.2026: Срок поверки счётчика истекает через 30 дней, 10.12.2026.',
    );
  });
});
