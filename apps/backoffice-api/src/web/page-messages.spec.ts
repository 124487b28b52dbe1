import { errorOf, monthRange, noticeOf, statsPeriod } from './page-messages';

describe('page messages', () => {
  it.each([
    [{ done: 'approved' }, 'Показание принято, исход отправлен.'],
    [{ done: 'revalidated', n: '2' }, 'Перепроверено показаний: 2.'],
    [{ done: 'revalidated', n: '<b>' }, 'Перепроверено показаний: 0.'],
    [
      { done: 'arshin-recorded', n: '3' },
      'Из ФГИС «Аршин» записана новая поверка; перепроверено показаний: 3.',
    ],
    [{ done: 'arshin-nothing' }, 'Во ФГИС «Аршин» нет новых записей о поверке этого прибора.'],
    [{ done: 'hacked' }, null],
    // Names every object has, which are no notices (`?done=__proto__` answered 500).
    [{ done: '__proto__' }, null],
    [{ done: 'constructor', n: '2' }, null],
    [{ done: 'toString' }, null],
    [{ done: 'valueOf' }, null],
    [{}, null],
  ])('notice %p', (query, expected) => {
    expect(noticeOf(query)).toBe(expected);
  });

  it.each([
    [{ error: 'REVIEW_CLAIMED' }, 'Запись уже взята в работу другим оператором.'],
    [
      { error: 'REVALIDATION_FAILED', reasons: 'VALUE_FORMAT,<script>' },
      'Показание не прошло проверку: неверный формат показания (VALUE_FORMAT).',
    ],
    [{ error: 'whatever' }, null],
  ])('error %p', (query, expected) => {
    expect(errorOf(query)).toBe(expected);
  });

  it.each([
    [
      '2026-11',
      {
        month: '2026-11',
        from: '2026-11-01',
        to: '2026-11-25',
        previous: '2026-10',
        next: '2026-12',
      },
    ],
    [
      '2026-02',
      {
        month: '2026-02',
        from: '2026-02-01',
        to: '2026-02-28',
        previous: '2026-01',
        next: '2026-03',
      },
    ],
    [
      '2027-01',
      {
        month: '2027-01',
        from: '2027-01-01',
        to: '2027-01-31',
        previous: '2026-12',
        next: '2027-02',
      },
    ],
    [
      undefined,
      {
        month: '2026-11',
        from: '2026-11-01',
        to: '2026-11-25',
        previous: '2026-10',
        next: '2026-12',
      },
    ],
    ['2026-13', null],
    ['0000-01', null],
    ['1999-12', null],
    ['2100-01', null],
    ['9999-12', null],
    ['', null],
    [['2026-11'], null],
  ])('month %p', (month, expected) => {
    expect(monthRange(month, { year: 2026, month: 11, day: 25 })).toEqual(expected);
  });
});

describe('statsPeriod', () => {
  const today = { year: 2026, month: 11, day: 25 };
  const none = { from: '', to: '' };
  const day = 'Укажите дату полностью: день, месяц и год.';
  it.each([
    [
      'a month by default',
      {},
      {
        given: none,
        ok: true,
        period: expect.objectContaining({ kind: 'month', from: '2026-11-01', to: '2026-11-25' }),
      },
    ],
    [
      'a month asked for',
      { month: '2026-02' },
      {
        given: none,
        ok: true,
        period: expect.objectContaining({ kind: 'month', from: '2026-02-01', to: '2026-02-28' }),
      },
    ],
    [
      'any days, the month ignored',
      { from: '2026-10-15', to: '2026-11-14', month: '2026-02' },
      {
        given: { from: '2026-10-15', to: '2026-11-14' },
        ok: true,
        period: { kind: 'range', from: '2026-10-15', to: '2026-11-14' },
      },
    ],
    [
      'from alone: up to today',
      { from: '2026-11-20' },
      {
        given: { from: '2026-11-20', to: '' },
        ok: true,
        period: { kind: 'range', from: '2026-11-20', to: '2026-11-25' },
      },
    ],
    [
      'empty days, as the form sends them: the month',
      { from: '', to: ' ', month: '2026-02' },
      { given: none, ok: true, period: expect.objectContaining({ month: '2026-02' }) },
    ],
    ['a month that is none', { month: '2026-13' }, null],
    ['a month sent twice', { month: ['2026-10', '2026-11'] }, null],
    [
      'a date that is none',
      { from: '2026-02-30', to: '2026-03-01' },
      { given: { from: '2026-02-30', to: '2026-03-01' }, ok: false, errors: { from: day } },
    ],
    [
      'a date with more after it, shown whole',
      { from: '2026-11-011' },
      { given: { from: '2026-11-011', to: '' }, ok: false, errors: { from: day } },
    ],
    [
      'a day sent twice, never the current month instead',
      { from: ['2026-11-01', '2026-11-02'], to: '2026-11-10' },
      {
        given: { from: '', to: '2026-11-10' },
        ok: false,
        errors: { from: 'Поле передано несколько раз: укажите одно значение.' },
      },
    ],
    [
      'a range running backwards',
      { from: '2026-11-02', to: '2026-11-01' },
      {
        given: { from: '2026-11-02', to: '2026-11-01' },
        ok: false,
        errors: { to: 'Дата «по» не может быть раньше даты «с».' },
      },
    ],
    [
      'more than 366 days',
      { from: '2025-01-01', to: '2026-01-02' },
      {
        given: { from: '2025-01-01', to: '2026-01-02' },
        ok: false,
        errors: { to: 'Период не длиннее 366 дней и не раньше своего начала.' },
      },
    ],
  ])('%s', (_name, query, expected) => {
    expect(statsPeriod(query, today)).toEqual(expected);
  });
});
