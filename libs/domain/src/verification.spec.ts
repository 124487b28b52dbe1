import { type IsoDate, moscowDate, parseDate } from './moscow-time';
import {
  dueOnAt,
  DUE_SOON_DAYS,
  type VerificationInForce,
  type VerificationPeriod,
  verificationAt,
  verificationRejection,
  verificationDueOn,
  verificationStatus,
  type VerificationStatus,
} from './verification';

function meterStanding(overrides: { dueOn?: IsoDate; decommissionedOn?: IsoDate | null } = {}) {
  return { dueOn: '2026-12-20', decommissionedOn: null, ...overrides };
}

describe('verificationDueOn = verified_on + interval', () => {
  it.each([
    ['2019-03-01', 72, '2025-03-01'],
    ['2022-06-15', 48, '2026-06-15'],
    ['2010-11-20', 192, '2026-11-20'],
    ['2018-12-15', 96, '2026-12-15'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2019-08-31', 6, '2020-02-29'],
    ['2021-08-31', 6, '2022-02-28'],
    ['2020-02-29', 12, '2021-02-28'],
    ['2020-02-29', 48, '2024-02-29'],
    ['2020-10-31', 1, '2020-11-30'],
    ['2020-12-31', 72, '2026-12-31'],
  ])('%s + %p months = %s', (verifiedOn, interval, dueOn) => {
    expect(verificationDueOn(verifiedOn, interval)).toBe(dueOn);
  });
});

describe('verificationStatus', () => {
  it('warns 30 days ahead', () => {
    expect(DUE_SOON_DAYS).toBe(30);
  });

  it.each<[string, IsoDate, IsoDate | null, VerificationStatus]>([
    ['31 days before the due date', '2026-11-19', null, 'valid'],
    ['a year before the due date', '2025-12-20', null, 'valid'],
    ['30 days before the due date', '2026-11-20', null, 'due_soon'],
    ['1 day before the due date', '2026-12-19', null, 'due_soon'],
    ['on the due date (usable through it)', '2026-12-20', null, 'due_soon'],
    ['the day after the due date', '2026-12-21', null, 'expired'],
    ['years after the due date', '2030-01-01', null, 'expired'],
    ['on the decommissioning date', '2026-06-01', '2026-06-01', 'decommissioned'],
    ['after decommissioning', '2026-07-01', '2026-06-01', 'decommissioned'],
    ['the day before decommissioning', '2026-05-31', '2026-06-01', 'valid'],
    ['after decommissioning and expiry', '2027-01-01', '2026-06-01', 'decommissioned'],
    ['due soon and decommissioned later', '2026-12-01', '2027-01-01', 'due_soon'],
  ])('%s (%s, decommissioned %p) -> %s', (_name, on, decommissionedOn, status) => {
    expect(verificationStatus(meterStanding({ decommissionedOn }), parseDate(on))).toBe(status);
  });

  it.each<[string, VerificationStatus]>([
    ['2026-12-20T20:59:59Z', 'due_soon'],
    ['2026-12-20T21:00:00Z', 'expired'],
    ['2026-11-19T20:59:59Z', 'valid'],
    ['2026-11-19T21:00:00Z', 'due_soon'],
  ])('judges the Moscow date of %s: %s', (instant, status) => {
    expect(verificationStatus(meterStanding(), moscowDate(new Date(instant)))).toBe(status);
  });

  it('a due date across a leap day counts calendar days', () => {
    const meter = meterStanding({ dueOn: verificationDueOn('2024-03-30', 48) });
    expect(meter.dueOn).toBe('2028-03-30');
    expect(verificationStatus(meter, parseDate('2028-02-29'))).toBe('due_soon');
    expect(verificationStatus(meter, parseDate('2028-02-28'))).toBe('valid');
  });
});

describe('dueOnAt: the verification in force on the reading day', () => {
  const history = [
    { verifiedOn: '2026-12-03', dueOn: '2032-12-03' },
    { verifiedOn: '2014-06-01', dueOn: '2020-06-01' },
    { verifiedOn: '2020-06-01', dueOn: '2026-06-01' },
  ];
  it.each<[string, IsoDate, IsoDate | null]>([
    ['before every verification', '2014-05-31', null],
    ['on the first verification day', '2014-06-01', '2020-06-01'],
    ['the day before the second', '2020-05-31', '2020-06-01'],
    ['on the second verification day', '2020-06-01', '2026-06-01'],
    ['in the lapse after the second', '2026-12-02', '2026-06-01'],
    ['on the third verification day', '2026-12-03', '2032-12-03'],
    ['long after the third', '2040-01-01', '2032-12-03'],
  ])('%s (%s) -> due %p', (_name, on, dueOn) => {
    expect(
      dueOnAt({ verificationDueOn: '2032-12-03', verifications: history }, parseDate(on)),
    ).toBe(dueOn);
  });

  it('a meter with no history on record is judged by its current due date', () => {
    expect(
      dueOnAt({ verificationDueOn: '2031-03-01', verifications: [] }, parseDate('2026-12-02')),
    ).toBe('2031-03-01');
  });
});

describe('verificationAt and verificationRejection: fit and unfit records by the reading day', () => {
  // Verified 2014 and 2020; found unfit (Arshin) 2026-08-10; repaired and verified 2026-12-03.
  const history: VerificationPeriod[] = [
    { verifiedOn: '2026-12-03', dueOn: '2032-12-03', applicable: true },
    { verifiedOn: '2014-06-01', dueOn: '2020-06-01' },
    { verifiedOn: '2026-08-10', dueOn: null, applicable: false },
    { verifiedOn: '2020-06-01', dueOn: '2026-06-01', applicable: true },
  ];
  const meter = { verificationDueOn: '2032-12-03', verifications: history };
  it.each<[string, IsoDate, VerificationInForce, string | null]>([
    ['before every record', '2014-05-31', { kind: 'none' }, 'VERIFICATION_EXPIRED'],
    ['under the first', '2019-01-01', { kind: 'fit', dueOn: '2020-06-01' }, null],
    ['on the due date of the second', '2026-06-01', { kind: 'fit', dueOn: '2026-06-01' }, null],
    [
      'in the lapse after the second',
      '2026-06-02',
      { kind: 'fit', dueOn: '2026-06-01' },
      'VERIFICATION_EXPIRED',
    ],
    [
      'on the day of the unfit finding',
      '2026-08-10',
      { kind: 'unfit', since: '2026-08-10' },
      'VERIFICATION_FAILED',
    ],
    [
      'the day before the repair',
      '2026-12-02',
      { kind: 'unfit', since: '2026-08-10' },
      'VERIFICATION_FAILED',
    ],
    ['on the day of the repair', '2026-12-03', { kind: 'fit', dueOn: '2032-12-03' }, null],
    [
      'after the repaired verification expired',
      '2033-01-01',
      { kind: 'fit', dueOn: '2032-12-03' },
      'VERIFICATION_EXPIRED',
    ],
  ])('%s (%s)', (_name, on, inForce, rejection) => {
    expect(verificationAt(meter, parseDate(on))).toEqual(inForce);
    expect(verificationRejection(meter, parseDate(on))).toBe(rejection);
  });

  it.each<[string, VerificationPeriod, string | null]>([
    [
      'applicable false',
      { verifiedOn: '2026-01-10', dueOn: null, applicable: false },
      'VERIFICATION_FAILED',
    ],
    ['no due date', { verifiedOn: '2026-01-10', dueOn: null }, 'VERIFICATION_FAILED'],
    ['applicable true', { verifiedOn: '2026-01-10', dueOn: '2030-01-10', applicable: true }, null],
    [
      'applicability absent (registry, operator)',
      { verifiedOn: '2026-01-10', dueOn: '2030-01-10' },
      null,
    ],
  ])('a single record with %s', (_name, record, rejection) => {
    expect(
      verificationRejection(
        { verificationDueOn: '2030-01-10', verifications: [record] },
        parseDate('2026-06-01'),
      ),
    ).toBe(rejection);
  });

  it('a meter with no history is judged by its current due date', () => {
    const bare = { verificationDueOn: '2026-06-01', verifications: [] };
    expect(verificationRejection(bare, parseDate('2026-06-01'))).toBeNull();
    expect(verificationRejection(bare, parseDate('2026-06-02'))).toBe('VERIFICATION_EXPIRED');
  });

  it('an unfit record in force has no due date', () => {
    expect(dueOnAt(meter, parseDate('2026-09-01'))).toBeNull();
  });
});

describe('verificationStatus with no verification in force', () => {
  it.each<[IsoDate | null, VerificationStatus]>([
    [null, 'expired'],
    ['2026-06-01', 'decommissioned'],
  ])('decommissioned %p -> %s', (decommissionedOn, status) => {
    expect(verificationStatus({ dueOn: null, decommissionedOn }, parseDate('2026-12-02'))).toBe(
      status,
    );
  });
});
