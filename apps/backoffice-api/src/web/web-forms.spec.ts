import { approveForm, queueFilters, rejectForm, signInForm, verificationForm } from './web-forms';

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
    expect(approveForm(form, submitted)).toEqual(expected);
  });

  it.each([
    [{ comment: '' }, 'comment must be 1 to 1000 characters'],
    [{ comment: 'x'.repeat(1001) }, 'comment must be 1 to 1000 characters'],
    [{ comment: 'ok', T1: '' }, 'every zone needs a value of at most 25 characters'],
  ])('approve refuses %p', (form, message) => {
    expect(() => approveForm(form, submitted)).toThrow(message);
  });

  it.each([
    [{ comment: 'no', reason: '' }, { comment: 'no' }],
    [{ comment: 'no' }, { comment: 'no' }],
    [
      { comment: 'no', reason: 'VALUE_FORMAT' },
      { comment: 'no', reasons: ['VALUE_FORMAT'] },
    ],
  ])('reject %p', (form, expected) => {
    expect(rejectForm(form)).toEqual(expected);
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
      verifiedOn: '2026-11-01',
      intervalMonths: 72,
      certificateNo: 'C-1',
    });
    expect(() =>
      verificationForm({ verifiedOn: '01.11.2026', intervalMonths: '72', certificateNo: 'C' }),
    ).toThrow('verifiedOn must be a date YYYY-MM-DD');
    expect(() =>
      verificationForm({ verifiedOn: '2026-11-01', intervalMonths: '7.5', certificateNo: 'C' }),
    ).toThrow('intervalMonths must be 1 to 240');
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
      }),
    ).toEqual({ channel: 'kiosk', reason: 'LOW_CONFIDENCE', minAgeHours: '24', maxAgeHours: '' });
    expect(queueFilters({ channel: ['kiosk'], reason: 'VALUE_FORMAT' })).toEqual({
      channel: '',
      reason: '',
      minAgeHours: '',
      maxAgeHours: '',
    });
  });
});
