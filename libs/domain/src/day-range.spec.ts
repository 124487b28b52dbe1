import { dayRange } from './day-range';

describe('dayRange', () => {
  const today = { year: 2026, month: 11, day: 20 };
  const cases: [string, string | undefined, string | undefined, ReturnType<typeof dayRange>][] = [
    [
      'defaults to the current month up to today',
      undefined,
      undefined,
      { ok: true, range: { from: '2026-11-01', to: '2026-11-20' } },
    ],
    [
      'keeps given ends',
      '2026-10-01',
      '2026-10-31',
      { ok: true, range: { from: '2026-10-01', to: '2026-10-31' } },
    ],
    [
      'one day',
      '2026-10-05',
      '2026-10-05',
      { ok: true, range: { from: '2026-10-05', to: '2026-10-05' } },
    ],
    [
      'a missing start is the first of the current month',
      undefined,
      '2026-11-03',
      { ok: true, range: { from: '2026-11-01', to: '2026-11-03' } },
    ],
    [
      'a year of 366 days is the most',
      '2024-01-01',
      '2024-12-31',
      { ok: true, range: { from: '2024-01-01', to: '2024-12-31' } },
    ],
    [
      'more than that is refused',
      '2024-01-01',
      '2025-01-01',
      { ok: false, error: 'the range must not exceed 366 days' },
    ],
    ['backwards', '2026-10-02', '2026-10-01', { ok: false, error: 'from must not be after to' }],
    ['not a date', '2026-13-01', undefined, { ok: false, error: 'from must be a date YYYY-MM-DD' }],
    [
      'a month is not a date',
      undefined,
      '2026-11',
      { ok: false, error: 'to must be a date YYYY-MM-DD' },
    ],
    [
      '31 February',
      '2026-02-31',
      undefined,
      { ok: false, error: 'from must be a date YYYY-MM-DD' },
    ],
  ];
  it.each(cases)('%s', (_name, from, to, expected) => {
    expect(dayRange(from, to, today)).toEqual(expected);
  });
});
