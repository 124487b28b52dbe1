import { randomUUID } from 'node:crypto';
import {
  approveForm,
  bulkForm,
  queueFilters,
  rejectForm,
  signInForm,
  swapForm,
  verificationForm,
} from './web-forms';

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
      { verifiedOn: '2026-11-01', intervalMonths: '7.5', certificateNo: 'C' },
      { intervalMonths: 'Укажите интервал целым числом месяцев от 1 до 240.' },
    ],
    [
      { verifiedOn: '2026-02-30', intervalMonths: '241', certificateNo: ' ' },
      {
        verifiedOn: 'Укажите дату поверки полностью: день, месяц и год.',
        intervalMonths: 'Укажите интервал целым числом месяцев от 1 до 240.',
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

  it('keeps only usable queue filters', () => {
    expect(
      queueFilters({
        channel: 'kiosk',
        reason: 'LOW_CONFIDENCE',
        minAgeHours: '24',
        maxAgeHours: '1e9',
        q: ' 5001234567 ',
        page: '3',
      }),
    ).toEqual({
      channel: 'kiosk',
      reason: 'LOW_CONFIDENCE',
      minAgeHours: '24',
      maxAgeHours: '',
      q: '5001234567',
      page: 3,
    });
    expect(
      queueFilters({ channel: ['kiosk'], reason: 'VALUE_FORMAT', q: 'x'.repeat(33), page: '0' }),
    ).toEqual({
      channel: '',
      reason: '',
      minAgeHours: '',
      maxAgeHours: '',
      q: '',
      page: 1,
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
