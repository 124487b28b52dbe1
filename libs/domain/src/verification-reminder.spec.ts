import { reminderRanges } from './verification-reminder';

describe('reminderRanges', () => {
  it.each([
    [
      'on the day itself only',
      '2026-12-03',
      0,
      [
        { daysLeft: 60, dueFrom: '2027-02-01', dueTo: '2027-02-01' },
        { daysLeft: 30, dueFrom: '2027-01-02', dueTo: '2027-01-02' },
        { daysLeft: 0, dueFrom: '2026-12-03', dueTo: '2026-12-03' },
      ],
    ],
    [
      'three missed days made up, across the year end',
      '2026-12-31',
      3,
      [
        { daysLeft: 60, dueFrom: '2027-02-26', dueTo: '2027-03-01' },
        { daysLeft: 30, dueFrom: '2027-01-27', dueTo: '2027-01-30' },
        { daysLeft: 0, dueFrom: '2026-12-28', dueTo: '2026-12-31' },
      ],
    ],
    [
      'a leap February',
      '2027-12-31',
      0,
      [
        { daysLeft: 60, dueFrom: '2028-02-29', dueTo: '2028-02-29' },
        { daysLeft: 30, dueFrom: '2028-01-30', dueTo: '2028-01-30' },
        { daysLeft: 0, dueFrom: '2027-12-31', dueTo: '2027-12-31' },
      ],
    ],
  ])('%s', (_case, today, catchUp, ranges) => {
    expect(reminderRanges(today, catchUp)).toEqual(ranges);
  });

  it.each([-1, 30, 1.5])('refuses %p catch-up days', (days) => {
    expect(() => reminderRanges('2026-12-03', days)).toThrow('catch-up days must be 0 to 29');
  });
});
