import { randomUUID } from 'node:crypto';
import {
  approveForm,
  auditFilters,
  bulkForm,
  estimatesQuery,
  queueFilters,
  rejectForm,
  searchQuery,
  signInForm,
  swapForm,
  verificationForm,
} from './web-forms';

const REPEATED = 'Поле передано несколько раз: укажите одно значение.';
const INTERVAL = 'Укажите интервал цифрами: целое число месяцев от 1 до 240.';

describe('web forms', () => {
  const submitted = [{ zone: 'T1', value: '00110.500' }];

  it.each([
    [
      'values as shown approve as submitted',
      { comment: ' ok ', T1: '00110.500' },
      { comment: 'ok' },
    ],
    ['no value fields approve as submitted', { comment: 'ok' }, { comment: 'ok' }],
    [
      'a changed value is a correction, comma normalised',
      { comment: 'ok', T1: '00111,250' },
      { comment: 'ok', values: [{ zone: 'T1', value: '00111.250' }] },
    ],
    [
      'an extra zone is a correction too',
      { comment: 'ok', T1: '00110.500', T2: '5' },
      {
        comment: 'ok',
        values: [
          { zone: 'T1', value: '00110.500' },
          { zone: 'T2', value: '5' },
        ],
      },
    ],
  ])('approve: %s', (_name, form, expected) => {
    expect(approveForm(form, submitted)).toEqual({ ok: true, value: expected });
  });

  const comment = 'Напишите комментарий к решению (до 1000 знаков).';
  const zone = 'Укажите показание зоны (до 25 знаков) или верните переданное.';
  it.each([
    ['no comment', { comment: '' }, { comment }],
    ['a blank comment', { comment: '  ' }, { comment }],
    ['a comment too long', { comment: 'x'.repeat(1001) }, { comment }],
    ['an emptied zone', { comment: 'ok', T1: '' }, { T1: zone }],
    ['a blank zone and comment', { comment: ' ', T1: '5', T2: ' ' }, { comment, T2: zone }],
    // Sent twice, a zone holds neither the value shown nor the one typed: nothing is decided.
    ['a zone sent twice', { comment: 'ok', T1: ['00110.500', '00120.000'] }, { T1: REPEATED }],
    [
      'a zone sent twice beside a changed one',
      { comment: 'ok', T1: '00111', T2: ['1', '1'] },
      { T2: REPEATED },
    ],
    ['a nested zone', { comment: 'ok', T1: { a: '1' } }, { T1: REPEATED }],
  ])('approve marks the fields of %s', (_name, form, errors) => {
    expect(approveForm(form, submitted)).toEqual({ ok: false, errors });
  });

  it.each([
    [{ comment: 'no', reason: '' }, { comment: 'no' }],
    [{ comment: 'no' }, { comment: 'no' }],
    [
      { comment: 'no', reason: 'VALUE_FORMAT' },
      { comment: 'no', reasons: ['VALUE_FORMAT'] },
    ],
  ])('reject %p', (form, expected) => {
    expect(rejectForm(form)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['reject', rejectForm],
    ['swap', swapForm],
  ])('%s marks a blank comment', (_name, read) => {
    expect(read({ comment: ' \n' })).toEqual({ ok: false, errors: { comment } });
    expect(read({ comment: ' да ' })).toEqual({ ok: true, value: { comment: 'да' } });
  });

  it('reject refuses an unknown reason', () => {
    expect(() => rejectForm({ comment: 'no', reason: 'DROP TABLE' })).toThrow(
      'unknown rejection reason',
    );
  });

  it('reads the verification form', () => {
    expect(
      verificationForm({ verifiedOn: '2026-11-01', intervalMonths: '72', certificateNo: ' C-1 ' }),
    ).toEqual({
      ok: true,
      value: { verifiedOn: '2026-11-01', intervalMonths: 72, certificateNo: 'C-1' },
    });
  });

  it.each([
    [
      { verifiedOn: '01.11.2026', intervalMonths: '72', certificateNo: 'C' },
      { verifiedOn: 'Укажите дату поверки полностью: день, месяц и год.' },
    ],
    [
      { verifiedOn: '2026-02-30', intervalMonths: '241', certificateNo: ' ' },
      {
        verifiedOn: 'Укажите дату поверки полностью: день, месяц и год.',
        intervalMonths: INTERVAL,
        certificateNo: 'Укажите номер свидетельства (до 64 знаков).',
      },
    ],
    [
      {},
      {
        verifiedOn: expect.any(String),
        intervalMonths: expect.any(String),
        certificateNo: expect.any(String),
      },
    ],
  ])('verification marks the fields of %p', (form, errors) => {
    expect(verificationForm(form)).toEqual({ ok: false, errors });
  });

  it.each([
    ['007', 7],
    ['1', 1],
    ['240', 240],
  ])('reads the interval %p as %p months', (typed, months) => {
    expect(
      verificationForm({ verifiedOn: '2026-11-01', intervalMonths: typed, certificateNo: 'C' }),
    ).toEqual({
      ok: true,
      value: { verifiedOn: '2026-11-01', intervalMonths: months, certificateNo: 'C' },
    });
  });

  // Number() would read the first four as 16, 100, 12 and 12 months.
  it.each<[string, unknown]>([
    ['hexadecimal', '0x10'],
    ['an exponent', '1e2'],
    ['blanks around digits', ' 12 '],
    ['a fraction of zeros', '12.0'],
    ['a fraction', '7.5'],
    ['a sign', '+12'],
    ['nothing', ''],
    ['zero', '0'],
    ['a number sent twice', ['12', '12']],
  ])('verification refuses an interval of %s', (_name, typed) => {
    expect(
      verificationForm({ verifiedOn: '2026-11-01', intervalMonths: typed, certificateNo: 'C' }),
    ).toEqual({ ok: false, errors: { intervalMonths: INTERVAL } });
  });

  it('reads the sign-in form', () => {
    expect(signInForm({ login: ' ivanova ', password: ' p ' })).toEqual({
      login: 'ivanova',
      password: ' p ',
    });
    expect(() => signInForm({ login: 'x' })).toThrow('password must be 1 to 256 characters');
    expect(() => signInForm({ login: ['a'], password: 'p' })).toThrow(
      'login must be 1 to 64 characters',
    );
  });

  describe('the queue filters', () => {
    const none = { channel: '', reason: '', minAgeHours: '', maxAgeHours: '', q: '', page: 1 };
    const hours = 'Укажите часы цифрами, от 0 до 8784, дробную часть — через точку.';

    it.each<[string, Record<string, unknown>, object]>([
      ['none', {}, none],
      [
        'empty ones, as the form sends them',
        { channel: '', reason: '', minAgeHours: '', maxAgeHours: ' ', q: ' ' },
        none,
      ],
      [
        'all of them',
        {
          channel: 'kiosk',
          reason: 'LOW_CONFIDENCE',
          minAgeHours: '0.5',
          maxAgeHours: '24',
          q: ' 5001234567 ',
          page: '3',
        },
        {
          channel: 'kiosk',
          reason: 'LOW_CONFIDENCE',
          minAgeHours: '0.5',
          maxAgeHours: '24',
          q: '5001234567',
          page: 3,
        },
      ],
      ['the longest search', { q: 'x'.repeat(32) }, { ...none, q: 'x'.repeat(32) }],
      ['the oldest age', { minAgeHours: '8784' }, { ...none, minAgeHours: '8784' }],
      [
        'one age for both ends',
        { minAgeHours: '2', maxAgeHours: '2.0' },
        { ...none, minAgeHours: '2', maxAgeHours: '2.0' },
      ],
    ])('reads %s', (_name, query, filters) => {
      expect(queueFilters(query)).toEqual({ ok: true, filters, errors: {} });
    });

    it.each<[string, Record<string, unknown>, Record<string, string>]>([
      [
        'a search too long',
        { q: 'x'.repeat(33) },
        { q: 'Лицевой счёт или номер прибора — не длиннее 32 знаков.' },
      ],
      ['a search sent twice', { q: ['5001234567', '5001234567'] }, { q: REPEATED }],
      ['an unknown channel', { channel: 'bogus' }, { channel: 'Выберите канал из списка.' }],
      ['a channel sent twice', { channel: ['kiosk', 'kiosk'] }, { channel: REPEATED }],
      [
        'a reason no item is held for',
        { reason: 'VALUE_FORMAT' },
        { reason: 'Выберите причину из списка.' },
      ],
      ['hours with an exponent', { minAgeHours: '1e2' }, { minAgeHours: hours }],
      ['hours in hexadecimal', { maxAgeHours: '0x10' }, { maxAgeHours: hours }],
      ['hours beyond a year', { minAgeHours: '99999' }, { minAgeHours: hours }],
      ['hours with a sign', { maxAgeHours: '-1' }, { maxAgeHours: hours }],
      [
        'an age range running backwards',
        { minAgeHours: '5', maxAgeHours: '1' },
        { maxAgeHours: 'Значение «Моложе, ч» не может быть меньше значения «Старше, ч».' },
      ],
      [
        'page 0',
        { page: '0' },
        { page: 'Номер страницы (page) — целое число от 1 до 99999, цифрами.' },
      ],
      [
        'a page that is a word',
        { page: 'next' },
        { page: 'Номер страницы (page) — целое число от 1 до 99999, цифрами.' },
      ],
    ])('refuses %s, never reading it as not given', (_name, query, errors) => {
      expect(queueFilters(query)).toEqual({ ok: false, filters: expect.any(Object), errors });
    });

    it('shows refused filters again as typed', () => {
      expect(queueFilters({ q: 'x'.repeat(33), minAgeHours: '1e2', channel: ['a'] })).toEqual({
        ok: false,
        filters: { ...none, q: 'x'.repeat(33), minAgeHours: '1e2' },
        errors: expect.any(Object),
      });
    });
  });

  describe('the audit filters', () => {
    const none = { login: '', action: '', from: '', to: '', beforeId: '' };
    const day = 'Укажите дату полностью: день, месяц и год.';

    it('reads them, trimmed', () => {
      expect(
        auditFilters({
          login: ' ivanova ',
          action: 'review.approve',
          from: '2026-11-01',
          to: '2026-11-30',
          beforeId: '1042',
        }),
      ).toEqual({
        ok: true,
        filters: {
          login: 'ivanova',
          action: 'review.approve',
          from: '2026-11-01',
          to: '2026-11-30',
          beforeId: '1042',
        },
        errors: {},
      });
      expect(auditFilters({ login: '', action: '', from: '', to: '' })).toEqual({
        ok: true,
        filters: none,
        errors: {},
      });
    });

    it.each<[string, Record<string, unknown>, object, Record<string, string>]>([
      [
        'a time after the day',
        { from: '2099-01-01T00:00' },
        { from: '2099-01-01T00:00' },
        { from: day },
      ],
      ['a day that is none', { to: '2026-02-30' }, { to: '2026-02-30' }, { to: day }],
      ['a day sent twice', { from: ['2026-11-01', '2026-11-02'] }, {}, { from: REPEATED }],
      [
        'a login too long',
        { login: 'a'.repeat(65) },
        { login: 'a'.repeat(65) },
        { login: 'Логин оператора — не длиннее 64 знаков.' },
      ],
      [
        'an action too long',
        { action: 'x'.repeat(49) },
        { action: 'x'.repeat(49) },
        { action: 'Выберите действие из списка.' },
      ],
      [
        'a page that is no entry',
        { beforeId: 'abc' },
        { beforeId: 'abc' },
        { beforeId: 'Ссылка на более ранние записи (beforeId) неверна: откройте журнал заново.' },
      ],
      [
        'a range running backwards',
        { from: '2026-11-02', to: '2026-11-01' },
        { from: '2026-11-02', to: '2026-11-01' },
        { to: 'Дата «по» не может быть раньше даты «с».' },
      ],
    ])('refuses %s, shown again as typed', (_name, query, shown, errors) => {
      expect(auditFilters(query)).toEqual({ ok: false, filters: { ...none, ...shown }, errors });
    });
  });

  describe('the estimates query', () => {
    const today = { year: 2026, month: 11, day: 25 };
    const after = 'Ссылка на следующую страницу (afterSerial) неверна: откройте список заново.';

    it.each<[Record<string, unknown>, object]>([
      [{}, { period: '2026-10', afterSerial: '' }],
      [
        { period: '', afterSerial: '' },
        { period: '2026-10', afterSerial: '' },
      ],
      [
        { period: '2026-03', afterSerial: 'A'.repeat(32) },
        { period: '2026-03', afterSerial: 'A'.repeat(32) },
      ],
    ])('reads %p', (query, filters) => {
      expect(estimatesQuery(query, today)).toEqual({ ok: true, filters, errors: {} });
    });

    it.each<[Record<string, unknown>, object, Record<string, string>]>([
      [
        { period: '2026-13' },
        { period: '2026-13', afterSerial: '' },
        { period: 'Укажите месяц: год и месяц, например 2026-10.' },
      ],
      [
        { afterSerial: 'A'.repeat(33) },
        { period: '2026-10', afterSerial: 'A'.repeat(33) },
        { afterSerial: after },
      ],
      [
        { afterSerial: ['A', 'B'] },
        { period: '2026-10', afterSerial: '' },
        { afterSerial: REPEATED },
      ],
    ])('refuses %p, never cutting it', (query, filters, errors) => {
      expect(estimatesQuery(query, today)).toEqual({ ok: false, filters, errors });
    });
  });

  it('reads the search, and refuses one sent twice', () => {
    expect(searchQuery({ q: ' 5001234567 ' })).toEqual({
      ok: true,
      filters: { q: '5001234567' },
      errors: {},
    });
    expect(searchQuery({ q: ['5001234567', '5001234567'] })).toEqual({
      ok: false,
      filters: { q: '' },
      errors: { q: REPEATED },
    });
  });

  describe('the bulk form', () => {
    const a = '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11';
    const b = '1b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c12';
    const cases: [string, Record<string, unknown>, ReturnType<typeof bulkForm>][] = [
      [
        'one ticked item',
        { ids: a, decision: 'approve', comment: ' сверено ' },
        { ok: true, ids: [a], decision: 'approve', comment: 'сверено' },
      ],
      [
        'several, repeated ones once',
        { ids: [a, b, a], decision: 'reject', comment: 'нет' },
        { ok: true, ids: [a, b], decision: 'reject', comment: 'нет' },
      ],
      [
        'nothing ticked and no comment',
        { decision: 'approve', comment: '  ' },
        {
          ok: false,
          errors: {
            ids: 'Отметьте в таблице хотя бы одно показание.',
            comment: 'Напишите комментарий к решению (до 1000 знаков).',
          },
          ids: [],
          comment: '',
        },
      ],
      [
        'a comment too long',
        { ids: [a], decision: 'approve', comment: 'x'.repeat(1001) },
        {
          ok: false,
          errors: { comment: 'Напишите комментарий к решению (до 1000 знаков).' },
          ids: [a],
          comment: 'x'.repeat(1001),
        },
      ],
    ];
    it.each(cases)('reads %s', (_name, form, expected) => {
      expect(bulkForm(form)).toEqual(expected);
    });

    const forged: [string, Record<string, unknown>, string][] = [
      ['no decision', { ids: a, comment: 'c' }, 'decision must be approve or reject'],
      ['an id that is none', { ids: ['x'], decision: 'approve', comment: 'c' }, 'ids must be'],
      [
        'more than a page',
        { ids: Array.from({ length: 101 }, () => randomUUID()), decision: 'reject', comment: 'c' },
        'at most 100 items at once',
      ],
    ];
    it.each(forged)('refuses %s', (_name, form, message) => {
      expect(() => bulkForm(form)).toThrow(message);
    });
  });
});
