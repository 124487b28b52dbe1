import {
  CHANNELS,
  OUTCOME_STATUSES,
  REJECTION_CODES,
  RESOURCES,
  REVIEW_CODES,
  WARNING_CODES,
  ZONES,
} from './codes';

/** The vocabularies partners rely on (contract sections 2 to 4): add, never rename. */
describe('contract codes', () => {
  it.each<[string, readonly string[], string[]]>([
    [
      'channels (section 2)',
      CHANNELS,
      ['cabinet', 'payment-terminal', 'kiosk', 'paper-slip', 'mosenergosbyt'],
    ],
    ['zones (section 2)', ZONES, ['T1', 'T2', 'T3']],
    [
      'outcome statuses (section 2)',
      OUTCOME_STATUSES,
      ['accepted', 'rejected', 'needs_review', 'duplicate'],
    ],
    ['resources (section 4)', RESOURCES, ['cold_water', 'hot_water', 'electricity', 'gas', 'heat']],
    [
      'rejection codes (section 3)',
      REJECTION_CODES,
      [
        'UNKNOWN_ACCOUNT',
        'UNKNOWN_METER',
        'METER_NOT_ON_ACCOUNT',
        'METER_DECOMMISSIONED',
        'VERIFICATION_EXPIRED',
        'ZONES_MISMATCH',
        'VALUE_FORMAT',
        'VALUE_DECREASED',
        'READ_IN_FUTURE',
        'READ_TOO_OLD',
        'VERIFICATION_FAILED',
      ],
    ],
    [
      'review codes (section 3)',
      REVIEW_CODES,
      ['CONSUMPTION_SPIKE', 'LOW_CONFIDENCE', 'SUSPECTED_SWAP'],
    ],
    [
      'warning codes (section 3)',
      WARNING_CODES,
      ['VERIFICATION_DUE_SOON', 'ROLLOVER', 'OUTSIDE_WINDOW'],
    ],
  ])('%s', (_name, actual, expected) => {
    expect([...actual]).toEqual(expected);
  });

  it('no code is in two lists', () => {
    const all = [...REJECTION_CODES, ...REVIEW_CODES, ...WARNING_CODES];
    expect(new Set(all).size).toBe(all.length);
  });
});
