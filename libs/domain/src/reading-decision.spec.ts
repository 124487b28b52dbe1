import {
  type OutcomeStatus,
  type ReasonCode,
  REJECTION_CODES,
  REVIEW_CODES,
  WARNING_CODES,
  type WarningCode,
} from '@gw/contracts';
import { toUnits } from './decimal';
import { DAY_MS } from './moscow-time';
import { DEFAULT_DAILY_CEILINGS, type PeriodUsage } from './plausibility';
import {
  type AcceptedReading,
  afterAccepted,
  decideReading,
  initialReading,
  type MeterFacts,
  type MeterState,
  type ReadingDecision,
  type ReadingInput,
  type ReadingPolicy,
  type ZoneUnits,
} from './reading-decision';
import { DEFAULT_WINDOW_POLICY } from './submission-window';
import { meterFacts, readingPolicy } from './testing/reading-fixtures';
import type { SiblingMeter } from './swapped-water';

const at = (instant: string) => new Date(instant);

const units = (text: string): bigint => {
  const value = toUnits(text);
  if (value === null) throw new Error(`bad test value ${text}`);
  return value;
};

const ACCOUNT = '5001234567';

/**
 * Verified 2020-06-01 for 72 months (due 2026-06-01) and again on 2026-11-21: the current due
 * date is the new one, and the default reading of 2026-11-20 falls in the lapse between them.
 */
function lapsedThenVerified(overrides: Partial<MeterFacts> = {}): MeterFacts {
  return meterFacts({
    verificationDueOn: '2032-11-21',
    verifications: [
      { verifiedOn: '2026-11-21', dueOn: '2032-11-21' },
      { verifiedOn: '2020-06-01', dueOn: '2026-06-01' },
    ],
    ...overrides,
  });
}

/**
 * Verified 2020-06-01 until 2026-06-01, found unfit (Arshin) on 2026-11-10: the default reading
 * of 2026-11-20 falls after the finding.
 */
function foundUnfit(overrides: Partial<MeterFacts> = {}): MeterFacts {
  return meterFacts({
    verificationDueOn: '2026-11-09',
    verifications: [
      { verifiedOn: '2020-06-01', dueOn: '2031-06-01' },
      { verifiedOn: '2026-11-10', dueOn: null, applicable: false },
    ],
    ...overrides,
  });
}

/** A two-zone electricity meter (6 + 1 digits). */
function electricityMeter(overrides: Partial<MeterFacts> = {}): MeterFacts {
  return meterFacts({
    serial: '011234567',
    resource: 'electricity',
    zones: 2,
    integerDigits: 6,
    fractionDigits: 1,
    ...overrides,
  });
}

/** The last accepted reading: 100 m³ on 20 October 2026. */
function acceptedReading(overrides: Partial<AcceptedReading> = {}): AcceptedReading {
  return {
    readAt: at('2026-10-20T10:00:00+03:00'),
    billingPeriod: '2026-10',
    values: { T1: units('100') },
    ...overrides,
  };
}

function meterState(overrides: Partial<MeterState> = {}): MeterState {
  return { last: acceptedReading(), history: [], ...overrides };
}

function periodUsage(period: string, used: string, days = 30): PeriodUsage {
  return { period, consumptionUnits: units(used), days };
}

/** Three quiet months: 3 m³ per 30 days, 0.1 m³ a day. */
const QUIET_HISTORY = [
  periodUsage('2026-08', '3'),
  periodUsage('2026-09', '3'),
  periodUsage('2026-10', '3'),
];

/** 130 m³ read on 20 November 2026 inside the window: 30 m³ in a month. */
function readingInput(overrides: Partial<ReadingInput> = {}): ReadingInput {
  return {
    accountNumber: ACCOUNT,
    values: [{ zone: 'T1', value: '00130.000' }],
    readAt: at('2026-11-20T10:15:00+03:00'),
    receivedAt: at('2026-11-20T10:15:02.311+03:00'),
    confidence: null,
    ...overrides,
  };
}

interface Scenario {
  accountKnown?: boolean;
  meter?: MeterFacts | null;
  state?: MeterState;
  otherMeters?: SiblingMeter[];
  input?: Partial<ReadingInput>;
  policy?: Partial<ReadingPolicy>;
}

function decide(scenario: Scenario = {}): ReadingDecision {
  return decideReading(
    readingInput(scenario.input),
    {
      accountKnown: scenario.accountKnown ?? true,
      meter: scenario.meter === undefined ? meterFacts() : scenario.meter,
      state: scenario.state ?? meterState(),
      otherMeters: scenario.otherMeters ?? [],
    },
    readingPolicy(scenario.policy),
  );
}

/** A reading of `value` at `readAt`, received two seconds later. */
function t1At(readAt: string, value: string): Partial<ReadingInput> {
  const instant = at(readAt);
  return {
    readAt: instant,
    receivedAt: new Date(instant.getTime() + 2000),
    values: [{ zone: 'T1', value }],
  };
}

const verdict = (d: ReadingDecision) => ({
  status: d.status,
  reasons: d.reasons,
  warnings: d.warnings,
});

describe('decideReading: the base scenario', () => {
  it('accepts a plausible reading inside the window', () => {
    const decision = decide();
    expect(decision).toEqual({
      status: 'accepted',
      reasons: [],
      warnings: [],
      billingPeriod: '2026-11',
      values: { T1: units('130') },
      consumption: [{ zone: 'T1', value: '30.000' }],
      consumptionUnits: units('30'),
      days: expect.any(Number),
    });
    expect(decision.days).toBeCloseTo(31 + 15 / (24 * 60), 6);
  });
});

describe('decideReading: one row per code of contract section 3', () => {
  const rows: Record<ReasonCode | WarningCode, { scenario: Scenario; status: OutcomeStatus }> = {
    UNKNOWN_ACCOUNT: { scenario: { accountKnown: false }, status: 'rejected' },
    UNKNOWN_METER: { scenario: { meter: null }, status: 'rejected' },
    METER_NOT_ON_ACCOUNT: {
      scenario: { meter: meterFacts({ accountNumber: '5009999999' }) },
      status: 'rejected',
    },
    METER_DECOMMISSIONED: {
      scenario: { meter: meterFacts({ decommissionedOn: '2026-11-01' }) },
      status: 'rejected',
    },
    VERIFICATION_EXPIRED: {
      scenario: { meter: meterFacts({ verificationDueOn: '2026-11-19' }) },
      status: 'rejected',
    },
    VERIFICATION_FAILED: { scenario: { meter: foundUnfit() }, status: 'rejected' },
    ZONES_MISMATCH: {
      scenario: { input: { values: [{ zone: 'T2', value: '00130.000' }] } },
      status: 'rejected',
    },
    VALUE_FORMAT: {
      scenario: { input: { values: [{ zone: 'T1', value: '123456.000' }] } },
      status: 'rejected',
    },
    VALUE_DECREASED: {
      scenario: { input: { values: [{ zone: 'T1', value: '00099.999' }] } },
      status: 'rejected',
    },
    READ_IN_FUTURE: {
      scenario: {
        input: { readAt: at('2026-11-20T10:20:02.312+03:00') },
      },
      status: 'rejected',
    },
    READ_TOO_OLD: {
      scenario: { input: t1At('2026-10-20T09:59:59+03:00', '00100.000') },
      status: 'rejected',
    },
    CONSUMPTION_SPIKE: {
      scenario: { input: { values: [{ zone: 'T1', value: '00200.000' }] } },
      status: 'needs_review',
    },
    LOW_CONFIDENCE: { scenario: { input: { confidence: 0.89 } }, status: 'needs_review' },
    SUSPECTED_SWAP: {
      scenario: {
        input: { values: [{ zone: 'T1', value: '00050.000' }] },
        otherMeters: [
          {
            meter: meterFacts({ serial: '19-654321', resource: 'hot_water' }),
            state: meterState({ last: acceptedReading({ values: { T1: units('45') } }) }),
          },
        ],
      },
      status: 'needs_review',
    },
    VERIFICATION_DUE_SOON: {
      scenario: { meter: meterFacts({ verificationDueOn: '2026-12-20' }) },
      status: 'accepted',
    },
    ROLLOVER: {
      scenario: {
        state: meterState({ last: acceptedReading({ values: { T1: units('99998') } }) }),
        input: { values: [{ zone: 'T1', value: '00002.000' }] },
      },
      status: 'accepted',
    },
    OUTSIDE_WINDOW: {
      scenario: { input: t1At('2026-11-26T10:00:00+03:00', '00130.000') },
      status: 'accepted',
    },
  };

  it('has a row for every code', () => {
    expect(Object.keys(rows).sort()).toEqual(
      [...REJECTION_CODES, ...REVIEW_CODES, ...WARNING_CODES].sort(),
    );
  });

  it.each(Object.entries(rows))('%s', (code, { scenario, status }) => {
    const isWarning = (WARNING_CODES as readonly string[]).includes(code);
    expect(verdict(decide(scenario))).toEqual({
      status,
      reasons: isWarning ? [] : [code],
      warnings: isWarning ? [code] : [],
    });
  });
});

describe('decideReading: identity checks', () => {
  it.each<[string, Scenario, ReasonCode | null]>([
    ['unknown account', { accountKnown: false }, 'UNKNOWN_ACCOUNT'],
    ['unknown account and unknown meter', { accountKnown: false, meter: null }, 'UNKNOWN_ACCOUNT'],
    ['unknown meter', { meter: null }, 'UNKNOWN_METER'],
    [
      'meter of another account',
      { meter: meterFacts({ accountNumber: '5001234568' }) },
      'METER_NOT_ON_ACCOUNT',
    ],
    [
      'decommissioned before the reading',
      { meter: meterFacts({ decommissionedOn: '2026-11-01' }) },
      'METER_DECOMMISSIONED',
    ],
    [
      'decommissioned on the reading day',
      { meter: meterFacts({ decommissionedOn: '2026-11-20' }) },
      'METER_DECOMMISSIONED',
    ],
    [
      'decommissioned the day after',
      { meter: meterFacts({ decommissionedOn: '2026-11-21' }) },
      null,
    ],
    [
      'decommissioned on the Moscow date, still the day before in UTC',
      {
        meter: meterFacts({ decommissionedOn: '2026-11-20' }),
        input: t1At('2026-11-19T21:30:00Z', '00130.000'),
      },
      'METER_DECOMMISSIONED',
    ],
    [
      'read late in the evening before decommissioning (Moscow)',
      {
        meter: meterFacts({ decommissionedOn: '2026-11-20' }),
        input: t1At('2026-11-19T20:30:00Z', '00130.000'),
      },
      null,
    ],
    [
      'verification due the day before',
      { meter: meterFacts({ verificationDueOn: '2026-11-19' }) },
      'VERIFICATION_EXPIRED',
    ],
    [
      'verification due years ago',
      { meter: meterFacts({ verificationDueOn: '2020-03-01' }) },
      'VERIFICATION_EXPIRED',
    ],
    [
      'verification due on the reading day (usable through it)',
      { meter: meterFacts({ verificationDueOn: '2026-11-20' }) },
      null,
    ],
    [
      'read in a lapse, a newer verification recorded since (judged by the one in force then)',
      { meter: lapsedThenVerified() },
      'VERIFICATION_EXPIRED',
    ],
    [
      'read on the day of the newer verification',
      { meter: lapsedThenVerified(), input: t1At('2026-11-21T10:00:00+03:00', '00130.000') },
      null,
    ],
    [
      'read before the lapse, the newer verification recorded since',
      {
        meter: lapsedThenVerified({
          verifications: [
            { verifiedOn: '2020-06-01', dueOn: '2026-12-01' },
            { verifiedOn: '2026-12-03', dueOn: '2032-12-03' },
          ],
        }),
      },
      null,
    ],
    [
      'read before every verification on record',
      {
        meter: meterFacts({ verifications: [{ verifiedOn: '2026-11-21', dueOn: '2032-11-21' }] }),
      },
      'VERIFICATION_EXPIRED',
    ],
    [
      'verification expired by the Moscow date, not yet by the UTC date',
      {
        meter: meterFacts({ verificationDueOn: '2026-11-19' }),
        input: t1At('2026-11-19T21:30:00Z', '00130.000'),
      },
      'VERIFICATION_EXPIRED',
    ],
    ['read after an unfit finding', { meter: foundUnfit() }, 'VERIFICATION_FAILED'],
    [
      'read on the day of the unfit finding (Moscow)',
      { meter: foundUnfit(), input: t1At('2026-11-09T21:30:00Z', '00130.000') },
      'VERIFICATION_FAILED',
    ],
    [
      'read the evening before the unfit finding (Moscow)',
      { meter: foundUnfit(), input: t1At('2026-11-09T20:30:00Z', '00130.000') },
      null,
    ],
    [
      'an unfit finding after the reading day changes nothing for it',
      {
        meter: foundUnfit({
          verifications: [
            { verifiedOn: '2020-06-01', dueOn: '2031-06-01' },
            { verifiedOn: '2026-11-25', dueOn: null, applicable: false },
          ],
        }),
      },
      null,
    ],
    [
      'repaired and verified again after the unfit finding',
      {
        meter: foundUnfit({
          verificationDueOn: '2032-11-15',
          verifications: [
            { verifiedOn: '2020-06-01', dueOn: '2031-06-01' },
            { verifiedOn: '2026-11-10', dueOn: null, applicable: false },
            { verifiedOn: '2026-11-15', dueOn: '2032-11-15', applicable: true },
          ],
        }),
      },
      null,
    ],
    [
      'decommissioned and unfit: decommissioning decides first',
      { meter: foundUnfit({ decommissionedOn: '2026-11-12' }) },
      'METER_DECOMMISSIONED',
    ],
  ])('%s', (_name, scenario, reason) => {
    const decision = decide(scenario);
    if (reason === null) {
      expect(decision.status).toBe('accepted');
    } else {
      expect(verdict(decision)).toEqual({ status: 'rejected', reasons: [reason], warnings: [] });
      expect(decision.consumption).toEqual([]);
      expect(decision.values).toBeNull();
    }
  });

  it.each<[string, Scenario]>([
    ['unknown account', { accountKnown: false }],
    ['unknown meter', { meter: null }],
    ['meter of another account', { meter: meterFacts({ accountNumber: '5009999999' }) }],
  ])('%s has no billing period', (_name, scenario) => {
    expect(decide(scenario).billingPeriod).toBeNull();
  });

  it('later rejections still name the billing period', () => {
    expect(decide({ meter: meterFacts({ verificationDueOn: '2026-11-19' }) }).billingPeriod).toBe(
      '2026-11',
    );
  });
});

describe('decideReading: ZONES_MISMATCH', () => {
  const v = (...zones: string[]) => zones.map((zone) => ({ zone, value: '00130.000' }));

  it.each<[string, MeterFacts, { zone: string; value: string }[]]>([
    ['T2 for a single-rate meter', meterFacts(), v('T2')],
    ['extra zone on a single-rate meter', meterFacts(), v('T1', 'T2')],
    ['duplicate zone on a single-rate meter', meterFacts(), v('T1', 'T1')],
    ['unknown zone', meterFacts(), v('T4')],
    ['lower-case zone', meterFacts(), v('t1')],
    ['no values at all', meterFacts(), []],
    ['missing T2 on a two-zone meter', electricityMeter(), v('T1')],
    ['missing T1 on a two-zone meter', electricityMeter(), v('T2')],
    ['duplicate T1 instead of T2', electricityMeter(), v('T1', 'T1')],
    ['T3 instead of T2', electricityMeter(), v('T1', 'T3')],
    ['extra T3 on a two-zone meter', electricityMeter(), v('T1', 'T2', 'T3')],
    ['duplicate zone among three', electricityMeter(), v('T1', 'T2', 'T2')],
    ['missing T3 on a three-zone meter', electricityMeter({ zones: 3 }), v('T1', 'T2')],
  ])('%s', (_name, meter, values) => {
    expect(
      verdict(decide({ meter, state: meterState({ last: null }), input: { values } })),
    ).toEqual({
      status: 'rejected',
      reasons: ['ZONES_MISMATCH'],
      warnings: [],
    });
  });

  it.each<[string, MeterFacts, string[]]>([
    ['T1 on a single-rate meter', meterFacts(), ['T1']],
    ['T1 and T2 on a two-zone meter', electricityMeter(), ['T1', 'T2']],
    ['zones in any order', electricityMeter(), ['T2', 'T1']],
    ['T1..T3 on a three-zone meter', electricityMeter({ zones: 3 }), ['T3', 'T1', 'T2']],
  ])('accepts %s', (_name, meter, zones) => {
    const values = zones.map((zone) => ({ zone, value: '000130.0' }));
    expect(decide({ meter, state: meterState({ last: null }), input: { values } }).status).toBe(
      'accepted',
    );
  });
});

describe('decideReading: VALUE_FORMAT', () => {
  it.each<[string, string, MeterFacts]>([
    ['too many integer digits', '123456.000', meterFacts()],
    ['too many integer digits, whole number', '100000', meterFacts()],
    ['too many fraction digits', '00130.0001', meterFacts()],
    ['too many fraction digits for 6+1', '012345.67', electricityMeter({ zones: 1 })],
    ['negative', '-00130.000', meterFacts()],
    ['comma as separator', '00130,000', meterFacts()],
    ['letters', '00l30.000', meterFacts()],
    ['empty', '', meterFacts()],
    ['spaces', '00130 .000', meterFacts()],
    ['exponent', '1.3e2', meterFacts()],
    ['two dots', '00130.000.0', meterFacts()],
    ['a lone dot', '.', meterFacts()],
  ])('%s (%p)', (_name, value, meter) => {
    const decision = decide({ meter, input: { values: [{ zone: 'T1', value }] } });
    expect(verdict(decision)).toEqual({
      status: 'rejected',
      reasons: ['VALUE_FORMAT'],
      warnings: [],
    });
  });

  it('rejects when any zone has a bad value', () => {
    const decision = decide({
      meter: electricityMeter(),
      state: meterState({ last: null }),
      input: {
        values: [
          { zone: 'T1', value: '012345.6' },
          { zone: 'T2', value: '4567,8' },
        ],
      },
    });
    expect(decision.reasons).toEqual(['VALUE_FORMAT']);
  });

  it.each<[string, string, string]>([
    ['a whole number alone', '130', '30.000'],
    ['fewer fraction digits', '130.5', '30.500'],
    ['leading zeros', '0000000130.000', '30.000'],
    ['trailing zeros', '130.500000', '30.500'],
    ['all integer digits', '99999.999', '99899.999'],
  ])('accepts %s (%p)', (_name, value, used) => {
    const decision = decide({
      input: { values: [{ zone: 'T1', value }] },
      policy: { ceilings: { ...DEFAULT_DAILY_CEILINGS, cold_water: 10_000 } },
    });
    expect(verdict(decision)).toEqual({ status: 'accepted', reasons: [], warnings: [] });
    expect(decision.consumption).toEqual([{ zone: 'T1', value: used }]);
  });
});

describe('decideReading: READ_IN_FUTURE and READ_TOO_OLD', () => {
  const RECEIVED = '2026-11-20T10:15:00+03:00';
  const receivedAt = at(RECEIVED);
  const ms = (offset: number) => new Date(receivedAt.getTime() + offset);
  const MIN = 60 * 1000;

  it.each<[string, Date, ReasonCode | null]>([
    ['exactly 5 minutes ahead', ms(5 * MIN), null],
    ['5 minutes and 1 ms ahead', ms(5 * MIN + 1), 'READ_IN_FUTURE'],
    ['a day ahead', ms(DAY_MS), 'READ_IN_FUTURE'],
    ['1 minute ahead (clock skew)', ms(MIN), null],
    ['at reception', receivedAt, null],
  ])('read %s of reception -> %p', (_name, readAt, reason) => {
    const decision = decide({ input: { readAt, receivedAt } });
    expect(verdict(decision)).toEqual(
      reason === null
        ? { status: 'accepted', reasons: [], warnings: [] }
        : { status: 'rejected', reasons: [reason], warnings: [] },
    );
  });

  it('the future tolerance is policy', () => {
    const decision = decide({
      input: { readAt: ms(2 * MIN), receivedAt },
      policy: { futureToleranceMs: MIN },
    });
    expect(decision.reasons).toEqual(['READ_IN_FUTURE']);
  });

  /** The last accepted reading is long before, so only the age rule can trip. */
  const lastReadOn = (readAt: string, billingPeriod: string) =>
    meterState({ last: acceptedReading({ readAt: at(readAt), billingPeriod }) });
  const JULY = lastReadOn('2026-07-20T10:00:00+03:00', '2026-07');
  const JANUARY = lastReadOn('2026-01-20T10:00:00+03:00', '2026-01');

  it.each<[string, MeterState, string, string, ReasonCode | null]>([
    ['exactly 3 months before reception', JULY, '2026-08-20T10:15:00+03:00', RECEIVED, null],
    ['3 months and 1 second before', JULY, '2026-08-20T10:14:59+03:00', RECEIVED, 'READ_TOO_OLD'],
    ['4 months before', JULY, '2026-07-21T10:00:00+03:00', RECEIVED, 'READ_TOO_OLD'],
    [
      '3 months before 31 May is 28 February',
      JANUARY,
      '2026-02-28T12:00:00+03:00',
      '2026-05-31T12:00:00+03:00',
      null,
    ],
    [
      'just before that',
      JANUARY,
      '2026-02-28T11:59:59+03:00',
      '2026-05-31T12:00:00+03:00',
      'READ_TOO_OLD',
    ],
  ])('%s', (_name, state, readAt, received, reason) => {
    const decision = decide({
      state,
      input: {
        readAt: at(readAt),
        receivedAt: at(received),
        values: [{ zone: 'T1', value: '00101.000' }],
      },
    });
    expect(decision.status).toBe(reason === null ? 'accepted' : 'rejected');
    expect(decision.reasons).toEqual(reason === null ? [] : [reason]);
  });

  it('the maximum age is policy', () => {
    const decision = decide({
      state: JULY,
      input: t1At('2026-10-19T10:00:00+03:00', '00101.000'),
      policy: { maxAgeMonths: 1 },
    });
    expect(decision.reasons).toEqual([]);
    const late = decide({
      state: JULY,
      input: { ...t1At('2026-10-19T10:00:00+03:00', '00101.000'), receivedAt: at(RECEIVED) },
      policy: { maxAgeMonths: 1 },
    });
    expect(late.reasons).toEqual(['READ_TOO_OLD']);
  });

  it.each<[string, string, OutcomeStatus]>([
    ['a second before the last accepted reading', '2026-10-20T09:59:59+03:00', 'rejected'],
    ['a day before the last accepted reading', '2026-10-19T10:00:00+03:00', 'rejected'],
    ['at the same instant as the last accepted reading', '2026-10-20T10:00:00+03:00', 'accepted'],
    ['a second after it', '2026-10-20T10:00:01+03:00', 'accepted'],
  ])('%s -> %s', (_name, readAt, status) => {
    const decision = decide({ input: t1At(readAt, '00100.500') });
    expect(decision.status).toBe(status);
    expect(decision.reasons).toEqual(status === 'rejected' ? ['READ_TOO_OLD'] : []);
  });

  it('a reading before the registry initial values is too old', () => {
    const decision = decide({
      state: meterState({ last: initialReading('2026-11-01', { T1: units('12') }) }),
      input: t1At('2026-10-31T23:59:59+03:00', '00012.000'),
    });
    expect(decision.reasons).toEqual(['READ_TOO_OLD']);
  });
});

describe('decideReading: rollover and VALUE_DECREASED', () => {
  const lastAt = (value: string, readAt = '2026-10-20T10:00:00+03:00') =>
    meterState({ last: acceptedReading({ readAt: at(readAt), values: { T1: units(value) } }) });

  it.each<[string, MeterState, string, ReasonCode | null, WarningCode[], string | null]>([
    [
      '5 integer digits: 99998.000 -> 00002.000',
      lastAt('99998'),
      '00002.000',
      null,
      ['ROLLOVER'],
      '4.000',
    ],
    ['wrap to exactly zero', lastAt('99999.5'), '00000.000', null, ['ROLLOVER'], '0.500'],
    ['a decrease of 0.001', lastAt('130'), '00129.999', 'VALUE_DECREASED', [], null],
    ['a decrease to zero', lastAt('130'), '0', 'VALUE_DECREASED', [], null],
    [
      'a wrap needing more than the ceiling allows',
      lastAt('99990'),
      '00100.000',
      'VALUE_DECREASED',
      [],
      null,
    ],
    [
      'a wrap just within the ceiling over 31 days',
      lastAt('99990', '2026-10-20T10:15:00+03:00'),
      '00083.000',
      null,
      ['ROLLOVER'],
      '93.000',
    ],
    [
      'a wrap just above the ceiling over 31 days',
      lastAt('99990', '2026-10-20T10:15:00+03:00'),
      '00083.001',
      'VALUE_DECREASED',
      [],
      null,
    ],
    // The register was narrowed under the last value (5 integer digits, capacity 100000): no wrap.
    [
      'last beyond the register, a wrap would be negative (-3410)',
      lastAt('123410'),
      '20000.000',
      'VALUE_DECREASED',
      [],
      null,
    ],
    [
      'last beyond the register, a wrap would be a plausible 30',
      lastAt('100050'),
      '00080.000',
      'VALUE_DECREASED',
      [],
      null,
    ],
    [
      'last exactly at the capacity, then zero',
      lastAt('100000'),
      '00000.000',
      'VALUE_DECREASED',
      [],
      null,
    ],
  ])('%s', (_name, state, value, reason, warnings, used) => {
    const decision = decide({
      state,
      input: { readAt: at('2026-11-20T10:15:00+03:00'), values: [{ zone: 'T1', value }] },
    });
    if (reason === null) {
      expect(verdict(decision)).toEqual({ status: 'accepted', reasons: [], warnings });
      expect(decision.consumption).toEqual([{ zone: 'T1', value: used }]);
    } else {
      expect(verdict(decision)).toEqual({ status: 'rejected', reasons: [reason], warnings: [] });
      expect(decision.consumption).toEqual([]);
      expect(decision.consumptionUnits).toBeNull();
    }
  });

  it('a rollover on one zone of a two-zone meter', () => {
    const decision = decide({
      meter: electricityMeter(),
      state: meterState({
        last: acceptedReading({ values: { T1: units('999990.0'), T2: units('4567.8') } }),
      }),
      input: {
        values: [
          { zone: 'T1', value: '000010.0' },
          { zone: 'T2', value: '004600.3' },
        ],
      },
    });
    expect(verdict(decision)).toEqual({ status: 'accepted', reasons: [], warnings: ['ROLLOVER'] });
    expect(decision.consumption).toEqual([
      { zone: 'T1', value: '20.0' },
      { zone: 'T2', value: '32.5' },
    ]);
  });

  it('one zone beyond its register decides the reading: no consumption on any zone', () => {
    const decision = decide({
      meter: electricityMeter({ integerDigits: 5 }),
      state: meterState({
        last: acceptedReading({ values: { T1: units('123410.0'), T2: units('4567.8') } }),
      }),
      input: {
        values: [
          { zone: 'T1', value: '20000.0' },
          { zone: 'T2', value: '04600.3' },
        ],
      },
    });
    expect(verdict(decision)).toEqual({
      status: 'rejected',
      reasons: ['VALUE_DECREASED'],
      warnings: [],
    });
    expect(decision).toMatchObject({ consumption: [], consumptionUnits: null, days: null });
  });
});

describe('decideReading: CONSUMPTION_SPIKE', () => {
  /** Last read exactly 30 days before the new reading. */
  const thirtyDaysAgo = (history: PeriodUsage[] = []) =>
    meterState({
      last: acceptedReading({ readAt: at('2026-10-21T10:15:00+03:00') }),
      history,
    });

  /** Two short periods: 0.03 and 0.04 m³ in 3 days each. */
  const UNEVEN = [periodUsage('2026-09', '0.03', 3), periodUsage('2026-10', '0.04', 3)];

  it.each<[string, MeterState, string, OutcomeStatus]>([
    ['3 m³ a day: exactly the cold-water ceiling', thirtyDaysAgo(), '00190.000', 'accepted'],
    ['just above the ceiling', thirtyDaysAgo(), '00190.001', 'needs_review'],
    ['100 m³ in 31 days', meterState(), '00200.000', 'needs_review'],
    ['10x the average (0.1 m³/day)', thirtyDaysAgo(QUIET_HISTORY), '00130.000', 'accepted'],
    ['above 10x the average', thirtyDaysAgo(QUIET_HISTORY), '00130.001', 'needs_review'],
    // 0.07 m³ in 6 days is no binary fraction: 10x it, compared in floating point, came out above.
    ['exactly 10x an average of 0.07 m³ in 6 days', thirtyDaysAgo(UNEVEN), '00103.500', 'accepted'],
    [
      'above 10x an average of 0.07 m³ in 6 days',
      thirtyDaysAgo(UNEVEN),
      '00103.501',
      'needs_review',
    ],
    [
      '15x the average, still below the ceiling',
      thirtyDaysAgo(QUIET_HISTORY),
      '00145.000',
      'needs_review',
    ],
    [
      'one period of history: no average rule',
      thirtyDaysAgo([periodUsage('2026-10', '3')]),
      '00145.000',
      'accepted',
    ],
    [
      'history of zero consumption: no average rule',
      thirtyDaysAgo([periodUsage('2026-09', '0'), periodUsage('2026-10', '0')]),
      '00145.000',
      'accepted',
    ],
    [
      'two periods of history suffice',
      thirtyDaysAgo([periodUsage('2026-09', '3'), periodUsage('2026-10', '3')]),
      '00145.000',
      'needs_review',
    ],
    [
      'only the last three periods count',
      thirtyDaysAgo([periodUsage('2026-05', '900'), ...QUIET_HISTORY]),
      '00145.000',
      'needs_review',
    ],
    [
      'the current period does not count in the average',
      thirtyDaysAgo([...QUIET_HISTORY, periodUsage('2026-11', '300')]),
      '00145.000',
      'needs_review',
    ],
  ])('%s', (_name, state, value, status) => {
    const decision = decide({ state, input: { values: [{ zone: 'T1', value }] } });
    expect(verdict(decision)).toEqual({
      status,
      reasons: status === 'needs_review' ? ['CONSUMPTION_SPIKE'] : [],
      warnings: [],
    });
  });

  it.each<[string, string, OutcomeStatus]>([
    ['2.9 m³ within the same day', '00102.900', 'accepted'],
    ['3.1 m³ within the same day', '00103.100', 'needs_review'],
  ])('per day counts at least one day: %s -> %s', (_name, value, status) => {
    const decision = decide({
      state: meterState({
        last: acceptedReading({
          readAt: at('2026-11-20T08:00:00+03:00'),
          billingPeriod: '2026-11',
        }),
      }),
      input: { values: [{ zone: 'T1', value }] },
    });
    expect(decision.status).toBe(status);
  });

  it.each<[string, string, string, OutcomeStatus]>([
    ['60 + 40 kWh in a day: exactly the ceiling', '012405.6', '004607.8', 'accepted'],
    [
      '60 + 50 kWh in a day: each zone below, together above',
      '012405.6',
      '004617.8',
      'needs_review',
    ],
  ])('two-zone electricity counts all zones together: %s', (_name, t1, t2, status) => {
    const decision = decide({
      meter: electricityMeter(),
      state: meterState({
        last: acceptedReading({
          readAt: at('2026-11-19T10:15:00+03:00'),
          billingPeriod: '2026-11',
          values: { T1: units('12345.6'), T2: units('4567.8') },
        }),
      }),
      input: {
        values: [
          { zone: 'T1', value: t1 },
          { zone: 'T2', value: t2 },
        ],
      },
    });
    expect(decision.status).toBe(status);
    expect(decision.reasons).toEqual(status === 'accepted' ? [] : ['CONSUMPTION_SPIKE']);
  });

  it('uses the ceiling of the meter resource', () => {
    const hot = decide({
      meter: meterFacts({ resource: 'hot_water' }),
      input: { values: [{ zone: 'T1', value: '00165.000' }] },
    });
    const cold = decide({
      meter: meterFacts({ resource: 'cold_water' }),
      input: { values: [{ zone: 'T1', value: '00165.000' }] },
    });
    expect(hot.reasons).toEqual(['CONSUMPTION_SPIKE']);
    expect(cold.reasons).toEqual([]);
  });

  it('ceilings are policy', () => {
    const decision = decide({
      policy: { ceilings: { ...DEFAULT_DAILY_CEILINGS, cold_water: 0.5 } },
    });
    expect(decision.reasons).toEqual(['CONSUMPTION_SPIKE']);
  });

  it('a reading sent to review keeps its consumption for the operator', () => {
    const decision = decide({ input: { values: [{ zone: 'T1', value: '00200.000' }] } });
    expect(decision.consumption).toEqual([{ zone: 'T1', value: '100.000' }]);
    expect(decision.consumptionUnits).toBe(units('100'));
  });
});

describe('decideReading: LOW_CONFIDENCE', () => {
  it.each<[number | null, OutcomeStatus]>([
    [0.89, 'needs_review'],
    [0.899999, 'needs_review'],
    [0, 'needs_review'],
    [0.9, 'accepted'],
    [0.97, 'accepted'],
    [1, 'accepted'],
    [null, 'accepted'],
  ])('confidence %p -> %s', (confidence, status) => {
    expect(verdict(decide({ input: { confidence } }))).toEqual({
      status,
      reasons: status === 'needs_review' ? ['LOW_CONFIDENCE'] : [],
      warnings: [],
    });
  });

  it('the threshold is policy', () => {
    expect(
      decide({ input: { confidence: 0.9 }, policy: { confidenceThreshold: 0.95 } }).reasons,
    ).toEqual(['LOW_CONFIDENCE']);
  });

  it('applies without a baseline too', () => {
    expect(
      decide({ state: meterState({ last: null }), input: { confidence: 0.5 } }).reasons,
    ).toEqual(['LOW_CONFIDENCE']);
  });
});

describe('decideReading: warnings', () => {
  it.each<[string, string, WarningCode[]]>([
    ['due in 31 days', '2026-12-21', []],
    ['due in 30 days', '2026-12-20', ['VERIFICATION_DUE_SOON']],
    ['due tomorrow', '2026-11-21', ['VERIFICATION_DUE_SOON']],
    ['due today', '2026-11-20', ['VERIFICATION_DUE_SOON']],
  ])('verification %s', (_name, verificationDueOn, warnings) => {
    expect(verdict(decide({ meter: meterFacts({ verificationDueOn }) }))).toEqual({
      status: 'accepted',
      reasons: [],
      warnings,
    });
  });

  it.each<[string, string, string, WarningCode[]]>([
    ['20 Nov', '2026-11-20T10:00:00+03:00', '2026-11', []],
    ['25 Nov, last day', '2026-11-25T23:59:00+03:00', '2026-11', []],
    ['26 Nov', '2026-11-26T10:00:00+03:00', '2026-12', ['OUTSIDE_WINDOW']],
    ['26 Nov 00:30 Moscow, 25 Nov in UTC', '2026-11-25T21:30:00Z', '2026-12', ['OUTSIDE_WINDOW']],
    ['3 Dec', '2026-12-03T10:00:00+03:00', '2026-12', ['OUTSIDE_WINDOW']],
    ['10 Nov, before the window opens', '2026-11-10T10:00:00+03:00', '2026-11', ['OUTSIDE_WINDOW']],
  ])('cold water read on %s', (_name, readAt, billingPeriod, warnings) => {
    const decision = decide({
      state: meterState({ last: acceptedReading({ readAt: at('2026-10-01T10:00:00+03:00') }) }),
      input: t1At(readAt, '00110.000'),
    });
    expect({ ...verdict(decision), billingPeriod: decision.billingPeriod }).toEqual({
      status: 'accepted',
      reasons: [],
      warnings,
      billingPeriod,
    });
  });

  it('electricity read on 26 Nov is inside its window', () => {
    const decision = decide({
      meter: electricityMeter({ zones: 1 }),
      input: t1At('2026-11-26T10:00:00+03:00', '000110.0'),
    });
    expect(decision.billingPeriod).toBe('2026-11');
    expect(decision.warnings).toEqual([]);
  });

  it('a December override moves a 20 December reading to January, flagged', () => {
    const decision = decide({
      state: meterState({
        last: acceptedReading({
          readAt: at('2026-11-20T10:00:00+03:00'),
          billingPeriod: '2026-11',
        }),
      }),
      input: t1At('2026-12-20T10:00:00+03:00', '00110.000'),
      policy: {
        window: {
          ...DEFAULT_WINDOW_POLICY,
          overrides: { '2026-12': { '*': { openDay: 1, closeDay: 12 } } },
        },
      },
    });
    expect(decision.billingPeriod).toBe('2027-01');
    expect(decision.warnings).toEqual(['OUTSIDE_WINDOW']);
  });

  it('reports every warning that applies, in contract order', () => {
    const decision = decide({
      meter: meterFacts({ verificationDueOn: '2026-12-01' }),
      state: meterState({ last: acceptedReading({ values: { T1: units('99998') } }) }),
      input: t1At('2026-11-26T10:00:00+03:00', '00002.000'),
    });
    expect(verdict(decision)).toEqual({
      status: 'accepted',
      reasons: [],
      warnings: ['VERIFICATION_DUE_SOON', 'ROLLOVER', 'OUTSIDE_WINDOW'],
    });
  });
});

describe('decideReading: duplicates and zero consumption', () => {
  const lastInNovember = (values: ZoneUnits = { T1: units('130') }) =>
    meterState({
      last: acceptedReading({
        readAt: at('2026-11-18T09:00:00+03:00'),
        billingPeriod: '2026-11',
        values,
      }),
    });

  it.each<[string, MeterState, string, OutcomeStatus]>([
    ['identical values, same period', lastInNovember(), '00130.000', 'duplicate'],
    ['identical values written differently', lastInNovember(), '130', 'duplicate'],
    ['different values, same period', lastInNovember(), '00130.001', 'accepted'],
    [
      'identical values, previous period (zero consumption)',
      meterState({ last: acceptedReading({ values: { T1: units('130') } }) }),
      '00130.000',
      'accepted',
    ],
  ])('%s', (_name, state, value, status) => {
    expect(decide({ state, input: { values: [{ zone: 'T1', value }] } }).status).toBe(status);
  });

  /** 130 m³ read on 16 November, then 135 m³ on 18 November: both accepted for 2026-11. */
  const higherSinceInNovember = (earlier: ZoneUnits = { T1: units('130') }) =>
    meterState({
      last: acceptedReading({
        readAt: at('2026-11-18T09:00:00+03:00'),
        billingPeriod: '2026-11',
        values: { T1: units('135') },
        periodValues: [earlier],
      }),
    });

  it.each<[string, MeterState, string, OutcomeStatus, ReasonCode[]]>([
    [
      'an earlier accepted value of the period',
      higherSinceInNovember(),
      '00130.000',
      'duplicate',
      [],
    ],
    [
      'an earlier accepted value written differently',
      higherSinceInNovember(),
      '130',
      'duplicate',
      [],
    ],
    [
      'a value no accepted reading of the period has',
      higherSinceInNovember(),
      '00131.000',
      'rejected',
      ['VALUE_DECREASED'],
    ],
    [
      'an accepted value of the previous period',
      meterState({
        last: acceptedReading({
          values: { T1: units('135') },
          periodValues: [{ T1: units('130') }],
        }),
      }),
      '00130.000',
      'rejected',
      ['VALUE_DECREASED'],
    ],
  ])('re-sent after a higher reading: %s', (_name, state, value, status, reasons) => {
    expect(verdict(decide({ state, input: { values: [{ zone: 'T1', value }] } }))).toEqual({
      status,
      reasons,
      warnings: [],
    });
  });

  it.each<[string, string, string, OutcomeStatus]>([
    ['both zones of an earlier reading', '012345.6', '004567.8', 'duplicate'],
    ['one zone of an earlier reading', '012345.6', '004570.0', 'rejected'],
  ])('two-zone meter re-sent after a higher reading: %s', (_name, t1, t2, status) => {
    const decision = decide({
      meter: electricityMeter(),
      state: meterState({
        last: acceptedReading({
          readAt: at('2026-11-18T09:00:00+03:00'),
          billingPeriod: '2026-11',
          values: { T1: units('12350'), T2: units('4570') },
          periodValues: [{ T1: units('12345.6'), T2: units('4567.8') }],
        }),
      }),
      input: {
        values: [
          { zone: 'T1', value: t1 },
          { zone: 'T2', value: t2 },
        ],
      },
    });
    expect(decision.status).toBe(status);
  });

  it('a duplicate carries no reasons, warnings or consumption', () => {
    const decision = decide({
      meter: meterFacts({ verificationDueOn: '2026-12-01' }),
      state: lastInNovember(),
    });
    expect(decision).toMatchObject({
      status: 'duplicate',
      reasons: [],
      warnings: [],
      billingPeriod: '2026-11',
      consumption: [],
      consumptionUnits: null,
    });
  });

  it('the same reading re-submitted at the same instant is a duplicate', () => {
    const state = meterState({
      last: acceptedReading({
        readAt: at('2026-11-20T10:15:00+03:00'),
        billingPeriod: '2026-11',
        values: { T1: units('130') },
      }),
    });
    expect(decide({ state }).status).toBe('duplicate');
  });

  it.each<[string, string, string, OutcomeStatus]>([
    ['both zones identical', '012345.6', '004567.8', 'duplicate'],
    ['one zone differs', '012345.6', '004567.9', 'accepted'],
  ])('two-zone meter, %s', (_name, t1, t2, status) => {
    const decision = decide({
      meter: electricityMeter(),
      state: lastInNovember({ T1: units('12345.6'), T2: units('4567.8') }),
      input: {
        values: [
          { zone: 'T2', value: t2 },
          { zone: 'T1', value: t1 },
        ],
      },
    });
    expect(decision.status).toBe(status);
  });

  it('zero consumption is accepted (an empty flat)', () => {
    const decision = decide({
      state: meterState({ last: acceptedReading({ values: { T1: units('130') } }) }),
    });
    expect(decision).toMatchObject({
      status: 'accepted',
      reasons: [],
      warnings: [],
      consumption: [{ zone: 'T1', value: '0.000' }],
      consumptionUnits: 0n,
    });
  });
});

describe('decideReading: order of checks', () => {
  /** Every check fails; each step repairs the check that decided the previous one. */
  const steps: [ReasonCode[], OutcomeStatus, (s: Scenario) => Scenario][] = [
    [['UNKNOWN_ACCOUNT'], 'rejected', (s) => s],
    [['UNKNOWN_METER'], 'rejected', (s) => ({ ...s, accountKnown: true })],
    [
      ['METER_NOT_ON_ACCOUNT'],
      'rejected',
      (s) => ({
        ...s,
        meter: electricityMeter({
          accountNumber: '5009999999',
          decommissionedOn: '2026-11-01',
          verificationDueOn: '2026-10-01',
        }),
      }),
    ],
    [
      ['METER_DECOMMISSIONED'],
      'rejected',
      (s) => ({ ...s, meter: { ...(s.meter as MeterFacts), accountNumber: ACCOUNT } }),
    ],
    [
      ['VERIFICATION_EXPIRED'],
      'rejected',
      (s) => ({ ...s, meter: { ...(s.meter as MeterFacts), decommissionedOn: null } }),
    ],
    [
      ['ZONES_MISMATCH'],
      'rejected',
      (s) => ({ ...s, meter: { ...(s.meter as MeterFacts), verificationDueOn: '2031-01-01' } }),
    ],
    [
      ['VALUE_FORMAT'],
      'rejected',
      (s) => ({ ...s, meter: { ...(s.meter as MeterFacts), zones: 1 } }),
    ],
    [
      ['READ_IN_FUTURE'],
      'rejected',
      (s) => ({ ...s, input: { ...s.input, values: [{ zone: 'T1', value: '009000.0' }] } }),
    ],
    [
      ['READ_TOO_OLD'],
      'rejected',
      (s) => ({ ...s, input: { ...s.input, readAt: at('2026-10-19T10:00:00+03:00') } }),
    ],
    [
      ['CONSUMPTION_SPIKE', 'LOW_CONFIDENCE'],
      'needs_review',
      (s) => ({ ...s, input: { ...s.input, readAt: at('2026-11-20T10:00:00+03:00') } }),
    ],
  ];

  const everythingBroken: Scenario = {
    accountKnown: false,
    meter: null,
    input: {
      values: [{ zone: 'T1', value: '9,000' }],
      readAt: at('2026-11-20T10:30:00+03:00'),
      receivedAt: at('2026-11-20T10:15:00+03:00'),
      confidence: 0.5,
    },
  };

  let scenario = everythingBroken;
  const table = steps.map(([reasons, status, repair], i) => {
    scenario = repair(scenario);
    return [i, reasons, status, scenario] as const;
  });

  it.each(table)('step %p: %p decides', (_i, reasons, status, s) => {
    expect(verdict(decide(s))).toEqual({ status, reasons, warnings: [] });
  });
});

describe('decideReading: several value codes together', () => {
  it('CONSUMPTION_SPIKE and LOW_CONFIDENCE', () => {
    const decision = decide({
      input: { values: [{ zone: 'T1', value: '00200.000' }], confidence: 0.6 },
    });
    expect(verdict(decision)).toEqual({
      status: 'needs_review',
      reasons: ['CONSUMPTION_SPIKE', 'LOW_CONFIDENCE'],
      warnings: [],
    });
  });

  it('VALUE_DECREASED with LOW_CONFIDENCE is rejected and names both', () => {
    const decision = decide({
      input: { values: [{ zone: 'T1', value: '00099.000' }], confidence: 0.6 },
    });
    expect(verdict(decision)).toEqual({
      status: 'rejected',
      reasons: ['VALUE_DECREASED', 'LOW_CONFIDENCE'],
      warnings: [],
    });
  });

  it('a reading in review keeps its warnings', () => {
    const decision = decide({
      meter: meterFacts({ verificationDueOn: '2026-12-10' }),
      input: { ...t1At('2026-11-26T10:00:00+03:00', '00300.000'), confidence: 0.5 },
    });
    expect(verdict(decision)).toEqual({
      status: 'needs_review',
      reasons: ['CONSUMPTION_SPIKE', 'LOW_CONFIDENCE'],
      warnings: ['VERIFICATION_DUE_SOON', 'OUTSIDE_WINDOW'],
    });
  });
});

describe('decideReading: consumption per zone', () => {
  const twoZoneLast = (t1: string, t2: string) =>
    meterState({ last: acceptedReading({ values: { T1: units(t1), T2: units(t2) } }) });

  it.each<[string, MeterFacts, MeterState, [string, string], { zone: string; value: string }[]]>([
    [
      '6 + 1 digits',
      electricityMeter(),
      twoZoneLast('12345.6', '4567.8'),
      ['012400.0', '004600.3'],
      [
        { zone: 'T1', value: '54.4' },
        { zone: 'T2', value: '32.5' },
      ],
    ],
    [
      '5 + 2 digits',
      electricityMeter({ integerDigits: 5, fractionDigits: 2 }),
      twoZoneLast('12345.6', '4567.8'),
      ['12400', '4600.3'],
      [
        { zone: 'T1', value: '54.40' },
        { zone: 'T2', value: '32.50' },
      ],
    ],
    [
      '5 + 0 digits',
      electricityMeter({ integerDigits: 5, fractionDigits: 0 }),
      twoZoneLast('12345', '4567'),
      ['12400', '04600'],
      [
        { zone: 'T1', value: '55' },
        { zone: 'T2', value: '33' },
      ],
    ],
    [
      'zero on one zone',
      electricityMeter(),
      twoZoneLast('12345.6', '4567.8'),
      ['012400.0', '004567.8'],
      [
        { zone: 'T1', value: '54.4' },
        { zone: 'T2', value: '0.0' },
      ],
    ],
  ])('%s', (_name, meter, state, [t1, t2], consumption) => {
    const decision = decide({
      meter,
      state,
      input: {
        values: [
          { zone: 'T2', value: t2 },
          { zone: 'T1', value: t1 },
        ],
      },
    });
    expect(decision.status).toBe('accepted');
    expect(decision.consumption).toEqual(consumption);
  });

  it('three zones, in zone order, totalled for the average', () => {
    const decision = decide({
      meter: electricityMeter({ zones: 3 }),
      state: meterState({
        last: acceptedReading({ values: { T1: units('100'), T2: units('200'), T3: units('300') } }),
      }),
      input: {
        values: [
          { zone: 'T3', value: '000330.5' },
          { zone: 'T1', value: '000110.0' },
          { zone: 'T2', value: '000201.0' },
        ],
      },
    });
    expect(decision.consumption).toEqual([
      { zone: 'T1', value: '10.0' },
      { zone: 'T2', value: '1.0' },
      { zone: 'T3', value: '30.5' },
    ]);
    expect(decision.consumptionUnits).toBe(units('41.5'));
    expect(decision.values).toEqual({ T1: units('110'), T2: units('201'), T3: units('330.5') });
  });

  it('no baseline: accepted without consumption', () => {
    const decision = decide({
      state: meterState({ last: null }),
      input: { values: [{ zone: 'T1', value: '99999.999' }] },
    });
    expect(decision).toMatchObject({
      status: 'accepted',
      reasons: [],
      warnings: [],
      billingPeriod: '2026-11',
      values: { T1: units('99999.999') },
      consumption: [],
      consumptionUnits: null,
      days: null,
    });
  });

  it('a baseline lacking a zone of the meter gives no consumption', () => {
    const decision = decide({
      meter: electricityMeter(),
      state: meterState({ last: acceptedReading({ values: { T1: units('12345.6') } }) }),
      input: {
        values: [
          { zone: 'T1', value: '099999.0' },
          { zone: 'T2', value: '004600.3' },
        ],
      },
    });
    expect(decision).toMatchObject({ status: 'accepted', consumption: [], consumptionUnits: null });
  });

  // A resident's new tariff with fewer zones: the registers count anew (integrators.md, registry).
  it.each<[string, MeterFacts, ZoneUnits, { zone: string; value: string }[]]>([
    [
      'two zones, now single-rate',
      electricityMeter({ zones: 1 }),
      { T1: units('12345.6'), T2: units('4567.8') },
      [{ zone: 'T1', value: '016950.0' }],
    ],
    [
      'three zones, now two',
      electricityMeter(),
      { T1: units('12345.6'), T2: units('4567.8'), T3: units('2000') },
      [
        { zone: 'T1', value: '012000.0' },
        { zone: 'T2', value: '004600.3' },
      ],
    ],
  ])(
    'a baseline with a zone the meter no longer has gives no consumption: %s',
    (_name, meter, last, values) => {
      const decision = decide({
        meter,
        state: meterState({ last: acceptedReading({ values: last }) }),
        input: { values },
      });
      expect(decision).toMatchObject({
        status: 'accepted',
        reasons: [],
        consumption: [],
        consumptionUnits: null,
        days: null,
      });
    },
  );
});

describe('afterAccepted: readings of one meter in one batch', () => {
  /** 1 m³ a day: no reading below is a spike by the average rule. */
  const BATCH_HISTORY = [
    periodUsage('2026-08', '30'),
    periodUsage('2026-09', '30'),
    periodUsage('2026-10', '30'),
  ];
  const initialState = meterState({ history: BATCH_HISTORY });
  const first = readingInput(t1At('2026-11-20T10:15:00+03:00', '00130.000'));
  const decideWith = (input: ReadingInput, state: MeterState) =>
    decideReading(
      input,
      { accountKnown: true, meter: meterFacts(), state, otherMeters: [] },
      readingPolicy({ ceilings: { ...DEFAULT_DAILY_CEILINGS, cold_water: 10 } }),
    );

  const firstDecision = decideWith(first, initialState);
  const afterFirst = afterAccepted(initialState, first.readAt, firstDecision);

  it('the first reading is accepted against the registry state', () => {
    expect(firstDecision.status).toBe('accepted');
    expect(firstDecision.consumption).toEqual([{ zone: 'T1', value: '30.000' }]);
  });

  it('the state remembers the first reading as the last one', () => {
    expect(afterFirst.last).toEqual({
      readAt: first.readAt,
      billingPeriod: '2026-11',
      values: { T1: units('130') },
      periodValues: [],
    });
  });

  it('the period usage is added to the history, the older periods kept', () => {
    expect(afterFirst.history).toEqual([
      ...BATCH_HISTORY,
      { period: '2026-11', consumptionUnits: units('30'), days: firstDecision.days },
    ]);
    expect(initialState.history).toEqual(BATCH_HISTORY);
  });

  it('the second reading counts from the first', () => {
    const second = readingInput(t1At('2026-11-22T10:15:00+03:00', '00135.500'));
    const decision = decideWith(second, afterFirst);
    expect(decision).toMatchObject({
      status: 'accepted',
      consumption: [{ zone: 'T1', value: '5.500' }],
    });
    expect(decision.days).toBeCloseTo(2, 9);

    const afterSecond = afterAccepted(afterFirst, second.readAt, decision);
    const november = afterSecond.history.filter((p) => p.period === '2026-11');
    expect(november).toEqual([
      {
        period: '2026-11',
        consumptionUnits: units('35.5'),
        days: (firstDecision.days as number) + 2,
      },
    ]);
    expect(afterSecond.last?.values).toEqual({ T1: units('135.5') });
    expect(afterSecond.last?.periodValues).toEqual([{ T1: units('130') }]);
  });

  it('a repeat of the first reading after a higher second one is a duplicate', () => {
    const second = readingInput(t1At('2026-11-22T10:15:00+03:00', '00135.500'));
    const afterSecond = afterAccepted(afterFirst, second.readAt, decideWith(second, afterFirst));
    const repeat = readingInput(t1At('2026-11-23T08:00:00+03:00', '00130.000'));
    expect(decideWith(repeat, afterSecond)).toMatchObject({ status: 'duplicate', reasons: [] });
  });

  it('a reading of the next period forgets the values of the one before', () => {
    const next = readingInput(t1At('2026-11-26T10:00:00+03:00', '00136.000'));
    const afterNext = afterAccepted(afterFirst, next.readAt, decideWith(next, afterFirst));
    expect(afterNext.last?.periodValues).toEqual([]);
  });

  it('a repeat of the first reading is a duplicate', () => {
    const repeat = readingInput(t1At('2026-11-21T08:00:00+03:00', '00130.000'));
    expect(decideWith(repeat, afterFirst).status).toBe('duplicate');
    expect(decideWith(repeat, initialState).status).toBe('accepted');
  });

  it('a second reading taken before the first is too old', () => {
    const earlier = readingInput(t1At('2026-11-19T10:15:00+03:00', '00125.000'));
    expect(decideWith(earlier, afterFirst).reasons).toEqual(['READ_TOO_OLD']);
    expect(decideWith(earlier, initialState).status).toBe('accepted');
  });

  it('a second reading in the next period opens a new history entry', () => {
    const next = readingInput(t1At('2026-11-26T10:00:00+03:00', '00136.000'));
    const decision = decideWith(next, afterFirst);
    expect(decision).toMatchObject({
      status: 'accepted',
      billingPeriod: '2026-12',
      warnings: ['OUTSIDE_WINDOW'],
    });
    const history = afterAccepted(afterFirst, next.readAt, decision).history;
    expect(history.map((p) => p.period)).toEqual([
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
    expect(history[4].consumptionUnits).toBe(units('6'));
  });

  it('the updated history feeds the average of the next reading', () => {
    const quietMonths = meterState({
      last: acceptedReading({ readAt: at('2026-10-21T10:15:00+03:00') }),
      history: [periodUsage('2026-09', '3')],
    });
    const november = readingInput(t1At('2026-11-20T10:15:00+03:00', '00103.000'));
    const novemberDecision = decideWith(november, quietMonths);
    const state = afterAccepted(quietMonths, november.readAt, novemberDecision);
    const december = readingInput(t1At('2026-12-20T10:15:00+03:00', '00136.000'));
    expect(decideWith(december, quietMonths).status).toBe('accepted');
    expect(decideWith(december, state).reasons).toEqual(['CONSUMPTION_SPIKE']);
  });

  it('without a baseline only the last reading changes', () => {
    const empty = meterState({ last: null, history: QUIET_HISTORY });
    const decision = decideWith(first, empty);
    expect(decision.consumptionUnits).toBeNull();
    expect(afterAccepted(empty, first.readAt, decision)).toEqual({
      last: {
        readAt: first.readAt,
        billingPeriod: '2026-11',
        values: { T1: units('130') },
        periodValues: [],
      },
      history: QUIET_HISTORY,
    });
  });
});

describe('initialReading', () => {
  it.each<[string, string | null, Partial<Record<'T1' | 'T2', bigint>>]>([
    ['no initial date', null, { T1: 12_000_000n }],
    ['no initial values', '2019-03-01', {}],
  ])('%s -> null', (_name, initialOn, values) => {
    expect(initialReading(initialOn, values)).toBeNull();
  });

  it('starts at Moscow midnight of the initial date, in no period', () => {
    expect(initialReading('2019-03-01', { T1: units('12') })).toEqual({
      readAt: new Date('2019-02-28T21:00:00Z'),
      billingPeriod: null,
      values: { T1: units('12') },
    });
  });

  it.each<[string, string, string, string]>([
    [
      'same values as installed: zero consumption, not a duplicate',
      '2026-11-20T10:15:00+03:00',
      '00012.000',
      '0.000',
    ],
    ['counts from the initial values', '2026-11-20T10:15:00+03:00', '00015.000', '3.000'],
    ['a reading on the initial date itself', '2026-11-01T00:00:00+03:00', '00012.500', '0.500'],
  ])('%s', (_name, readAt, value, used) => {
    const decision = decide({
      state: { last: initialReading('2026-11-01', { T1: units('12') }), history: [] },
      input: t1At(readAt, value),
    });
    expect(decision.status).toBe('accepted');
    expect(decision.consumption).toEqual([{ zone: 'T1', value: used }]);
  });

  it('days count from the start of the initial date', () => {
    const decision = decide({
      state: { last: initialReading('2026-11-01', { T1: units('12') }), history: [] },
      input: t1At('2026-11-20T12:00:00+03:00', '00015.000'),
    });
    expect(decision.days).toBeCloseTo(19.5, 9);
  });
});
