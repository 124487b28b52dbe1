import type { Resource } from '@gw/contracts';
import { contractVerificationStatus, meterStanding } from './meter-standing';
import { parseDate } from './moscow-time';
import { DEFAULT_WINDOW_POLICY, type WindowPolicy } from './submission-window';
import type { VerificationPeriod } from './verification';

const meter = (
  resource: Resource = 'cold_water',
  dueOn = '2030-01-01',
  decommissionedOn: string | null = null,
  verifications: VerificationPeriod[] = [],
) => ({
  resource,
  verificationDueOn: dueOn,
  decommissionedOn,
  verifications,
});

const DECEMBER_EARLY: WindowPolicy = {
  ...DEFAULT_WINDOW_POLICY,
  overrides: { '2026-12': { '*': { openDay: 1, closeDay: 12 } } },
};

describe('meterStanding: the window a reading given today falls under', () => {
  it.each<[string, Resource, string, WindowPolicy, boolean, string, string, string]>([
    [
      'inside the window',
      'cold_water',
      '2026-11-20',
      DEFAULT_WINDOW_POLICY,
      true,
      '2026-11-15',
      '2026-11-25',
      '2026-11',
    ],
    [
      'on the first day',
      'cold_water',
      '2026-11-15',
      DEFAULT_WINDOW_POLICY,
      true,
      '2026-11-15',
      '2026-11-25',
      '2026-11',
    ],
    [
      'on the last day',
      'cold_water',
      '2026-11-25',
      DEFAULT_WINDOW_POLICY,
      true,
      '2026-11-15',
      '2026-11-25',
      '2026-11',
    ],
    [
      'before it opens',
      'cold_water',
      '2026-11-03',
      DEFAULT_WINDOW_POLICY,
      false,
      '2026-11-15',
      '2026-11-25',
      '2026-11',
    ],
    [
      'after it closed: next month',
      'cold_water',
      '2026-11-26',
      DEFAULT_WINDOW_POLICY,
      false,
      '2026-12-15',
      '2026-12-25',
      '2026-12',
    ],
    [
      'electricity closes a day later',
      'electricity',
      '2026-11-26',
      DEFAULT_WINDOW_POLICY,
      true,
      '2026-11-15',
      '2026-11-26',
      '2026-11',
    ],
    [
      'after the year-end window',
      'gas',
      '2026-12-28',
      DEFAULT_WINDOW_POLICY,
      false,
      '2027-01-15',
      '2027-01-25',
      '2027-01',
    ],
    [
      'next month moved earlier',
      'heat',
      '2026-11-27',
      DECEMBER_EARLY,
      false,
      '2026-12-01',
      '2026-12-12',
      '2026-12',
    ],
    [
      'inside a moved window',
      'heat',
      '2026-12-05',
      DECEMBER_EARLY,
      true,
      '2026-12-01',
      '2026-12-12',
      '2026-12',
    ],
    [
      'after a moved window',
      'heat',
      '2026-12-13',
      DECEMBER_EARLY,
      false,
      '2027-01-15',
      '2027-01-25',
      '2027-01',
    ],
  ])('%s (%s on %s)', (_name, resource, today, policy, open, opensOn, closesOn, billingPeriod) => {
    expect(meterStanding(meter(resource), parseDate(today), policy).window).toEqual({
      open,
      opensOn,
      closesOn,
      billingPeriod,
    });
  });
});

describe('meterStanding: verification', () => {
  it.each<[string, string, string | null, string, boolean]>([
    ['valid', '2030-01-01', null, 'valid', true],
    ['due within 30 days', '2026-12-10', null, 'due_soon', true],
    ['due today', '2026-11-20', null, 'due_soon', true],
    ['expired yesterday', '2026-11-19', null, 'expired', false],
    ['decommissioned', '2030-01-01', '2022-05-01', 'decommissioned', false],
    ['decommissioned later', '2030-01-01', '2027-01-01', 'valid', true],
  ])('%s', (_name, dueOn, decommissionedOn, verification, acceptsReadings) => {
    const standing = meterStanding(
      meter('cold_water', dueOn, decommissionedOn),
      parseDate('2026-11-20'),
      DEFAULT_WINDOW_POLICY,
    );
    expect(standing).toMatchObject({ verification, acceptsReadings });
  });
});

describe('meterStanding: an unfit finding in the verification history', () => {
  const fit = { verifiedOn: '2024-01-10', dueOn: '2030-01-10' };
  const unfitOn = (verifiedOn: string): VerificationPeriod => ({
    verifiedOn,
    dueOn: null,
    applicable: false,
  });
  it.each<[string, string, string | null, VerificationPeriod[], string, string | null, boolean]>([
    ['fit in force', '2030-01-10', null, [fit], 'valid', null, true],
    [
      'unfit since yesterday',
      '2026-11-18',
      null,
      [fit, unfitOn('2026-11-19')],
      'unfit',
      '2026-11-19',
      false,
    ],
    [
      'unfit since today',
      '2026-11-19',
      null,
      [fit, unfitOn('2026-11-20')],
      'unfit',
      '2026-11-20',
      false,
    ],
    ['unfit from tomorrow', '2030-01-10', null, [fit, unfitOn('2026-11-21')], 'valid', null, true],
    [
      'verified again after the finding',
      '2031-11-01',
      null,
      [fit, unfitOn('2026-10-01'), { verifiedOn: '2026-11-01', dueOn: '2031-11-01' }],
      'valid',
      null,
      true,
    ],
    [
      'unfit and decommissioned',
      '2026-11-18',
      '2026-11-19',
      [fit, unfitOn('2026-11-19')],
      'decommissioned',
      null,
      false,
    ],
  ])(
    '%s',
    (_name, dueOn, decommissionedOn, verifications, verification, unfitSince, acceptsReadings) => {
      const standing = meterStanding(
        meter('cold_water', dueOn, decommissionedOn, verifications),
        parseDate('2026-11-20'),
        DEFAULT_WINDOW_POLICY,
      );
      expect(standing).toMatchObject({ verification, unfitSince, acceptsReadings });
    },
  );
});

describe('contractVerificationStatus', () => {
  it.each([
    ['valid', 'valid'],
    ['due_soon', 'due_soon'],
    ['expired', 'expired'],
    ['decommissioned', 'decommissioned'],
    ['unfit', 'expired'],
  ] as const)('%s is %s on the wire', (standing, status) => {
    expect(contractVerificationStatus(standing)).toBe(status);
  });
});
