import type { ReasonCode } from '@gw/contracts';
import { toUnits } from './decimal';
import {
  approveDecision,
  OPERATOR_REJECTION_CODES,
  redecideReadings,
  rejectionReasons,
  type StoredReading,
} from './operator-review';
import { DEFAULT_DAILY_CEILINGS } from './plausibility';
import type { MeterFacts, ReadingDecision, ReadingPolicy } from './reading-decision';
import { DEFAULT_WINDOW_POLICY } from './submission-window';

const units = (text: string) => toUnits(text) as bigint;

function decision(overrides: Partial<ReadingDecision> = {}): ReadingDecision {
  return {
    status: 'accepted',
    reasons: [],
    warnings: [],
    billingPeriod: '2026-11',
    values: { T1: units('130') },
    consumption: [{ zone: 'T1', value: '30.000' }],
    consumptionUnits: units('30'),
    days: 31,
    ...overrides,
  };
}

describe('approveDecision', () => {
  const cases: [string, Partial<ReadingDecision>, ReturnType<typeof approveDecision>][] = [
    ['accepted stays accepted', {}, { ok: true, decision: decision() }],
    [
      'accepted with warnings keeps them',
      { warnings: ['VERIFICATION_DUE_SOON', 'OUTSIDE_WINDOW'] },
      { ok: true, decision: decision({ warnings: ['VERIFICATION_DUE_SOON', 'OUTSIDE_WINDOW'] }) },
    ],
    [
      'a spike the operator vouches for is accepted without reasons',
      { status: 'needs_review', reasons: ['CONSUMPTION_SPIKE'] },
      { ok: true, decision: decision() },
    ],
    [
      'low confidence and a spike together are both vouched for',
      {
        status: 'needs_review',
        reasons: ['CONSUMPTION_SPIKE', 'LOW_CONFIDENCE'],
        warnings: ['ROLLOVER'],
      },
      { ok: true, decision: decision({ warnings: ['ROLLOVER'] }) },
    ],
    [
      'a duplicate stays a duplicate',
      { status: 'duplicate', consumption: [], consumptionUnits: null, days: null },
      {
        ok: true,
        decision: decision({
          status: 'duplicate',
          consumption: [],
          consumptionUnits: null,
          days: null,
        }),
      },
    ],
    [
      'a rejection refuses the approval with its reasons',
      { status: 'rejected', reasons: ['VALUE_FORMAT'], values: null },
      { ok: false, reasons: ['VALUE_FORMAT'] },
    ],
    [
      'a decreased value with low confidence is refused for both',
      { status: 'rejected', reasons: ['VALUE_DECREASED', 'LOW_CONFIDENCE'] },
      { ok: false, reasons: ['VALUE_DECREASED', 'LOW_CONFIDENCE'] },
    ],
  ];
  it.each(cases)('%s', (_name, redecided, expected) => {
    expect(approveDecision(decision(redecided))).toEqual(expected);
  });
});

describe('rejectionReasons', () => {
  const cases: [string, ReasonCode[], ReasonCode[] | undefined, ReasonCode[]][] = [
    ['defaults to the review triggers', ['CONSUMPTION_SPIKE'], undefined, ['CONSUMPTION_SPIKE']],
    ['an empty choice also defaults', ['LOW_CONFIDENCE'], [], ['LOW_CONFIDENCE']],
    ['the operator’s choice wins', ['LOW_CONFIDENCE'], ['VALUE_FORMAT'], ['VALUE_FORMAT']],
    [
      'in contract order without repeats',
      ['CONSUMPTION_SPIKE'],
      ['LOW_CONFIDENCE', 'VALUE_FORMAT', 'VALUE_FORMAT', 'ZONES_MISMATCH'],
      ['ZONES_MISMATCH', 'VALUE_FORMAT', 'LOW_CONFIDENCE'],
    ],
  ];
  it.each(cases)('%s', (_name, review, chosen, expected) => {
    expect(rejectionReasons(review, chosen)).toEqual(expected);
  });

  it('offers every rejection and review code of the contract', () => {
    expect(OPERATOR_REJECTION_CODES).toHaveLength(13);
    expect(OPERATOR_REJECTION_CODES).toContain('VERIFICATION_EXPIRED');
    expect(OPERATOR_REJECTION_CODES).toContain('CONSUMPTION_SPIKE');
  });
});

describe('redecideReadings', () => {
  const policy: ReadingPolicy = {
    window: DEFAULT_WINDOW_POLICY,
    ceilings: DEFAULT_DAILY_CEILINGS,
    confidenceThreshold: 0.9,
    futureToleranceMs: 5 * 60 * 1000,
    maxAgeMonths: 3,
  };
  /** Re-verified on 2026-11-10, due again in 2032. */
  const meter: MeterFacts = {
    serial: 'M-1',
    accountNumber: '5001234567',
    resource: 'cold_water',
    zones: 1,
    integerDigits: 5,
    fractionDigits: 3,
    verificationDueOn: '2032-11-10',
    verifications: [],
    decommissionedOn: null,
  };
  const state = {
    last: {
      readAt: new Date('2026-10-20T10:00:00+03:00'),
      billingPeriod: '2026-10',
      values: { T1: units('100') },
    },
    history: [],
  };
  const reading = (id: string, readAt: string, value: string): StoredReading => ({
    submissionId: id,
    input: {
      accountNumber: '5001234567',
      values: [{ zone: 'T1', value }],
      readAt: new Date(readAt),
      receivedAt: new Date(new Date(readAt).getTime() + 1000),
      confidence: null,
    },
  });
  const summary = (readings: StoredReading[], known = true) =>
    redecideReadings(readings, { accountKnown: known, meter, state }, policy).map((r) => [
      r.submissionId,
      r.decision.status,
      r.decision.reasons,
      r.decision.consumption.map((c) => c.value),
    ]);

  const cases: [string, StoredReading[], unknown[]][] = [
    [
      'one reading is accepted against the last accepted one',
      [reading('a', '2026-11-20T10:00:00+03:00', '00105.000')],
      [['a', 'accepted', [], ['5.000']]],
    ],
    [
      'later readings count from the earlier ones accepted here, whatever the input order',
      [
        reading('b', '2026-11-22T10:00:00+03:00', '00107.000'),
        reading('a', '2026-11-20T10:00:00+03:00', '00105.000'),
      ],
      [
        ['a', 'accepted', [], ['5.000']],
        ['b', 'accepted', [], ['2.000']],
      ],
    ],
    [
      'a reading the old verification hid can still fail another rule',
      [
        reading('a', '2026-11-20T10:00:00+03:00', '00105.000'),
        reading('b', '2026-11-21T10:00:00+03:00', '00104.000'),
      ],
      [
        ['a', 'accepted', [], ['5.000']],
        ['b', 'rejected', ['VALUE_DECREASED'], []],
      ],
    ],
    [
      'a spike goes to review, and the next reading still counts from the last accepted one',
      [
        reading('a', '2026-11-20T10:00:00+03:00', '00900.000'),
        reading('b', '2026-11-21T10:00:00+03:00', '00106.000'),
      ],
      [
        ['a', 'needs_review', ['CONSUMPTION_SPIKE'], ['800.000']],
        ['b', 'accepted', [], ['6.000']],
      ],
    ],
  ];
  it.each(cases)('%s', (_name, readings, expected) => {
    expect(summary(readings)).toEqual(expected);
  });

  it('decides nothing when there is nothing to decide', () => {
    expect(summary([])).toEqual([]);
  });
});
