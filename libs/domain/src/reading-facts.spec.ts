import type { SubmissionMessage } from '@gw/contracts';
import type { PeriodUsage } from './plausibility';
import type { AcceptedReading, MeterState, ReadingFacts } from './reading-decision';
import { type LoadedFacts, readingFacts, type LoadedMeter, submissionInput } from './reading-facts';

const ACCOUNT = '5001234567';
const SERIAL = '19-123456';

/** A hot-water meter on ACCOUNT, installed on 1 March 2025 at 12.5 m³. */
const METER: LoadedMeter = {
  initialOn: '2025-03-01',
  initialValues: { T1: 12_500n },
  serial: SERIAL,
  accountNumber: ACCOUNT,
  resource: 'hot_water',
  zones: 1,
  integerDigits: 6,
  fractionDigits: 3,
  installedOn: '2025-03-01',
  decommissionedOn: null,
  verificationDueOn: '2029-03-01',
  verifications: [],
};

const WITHOUT_INITIAL: LoadedMeter = { ...METER, initialOn: null, initialValues: {} };
const UNDATED_INITIAL: LoadedMeter = { ...METER, initialOn: null };

const LAST: AcceptedReading = {
  readAt: new Date('2026-10-20T10:00:00+03:00'),
  billingPeriod: '2026-10',
  values: { T1: 100_000n },
};

/** The registry's initial values as a baseline: midnight in Moscow of the installation day. */
const INITIAL: AcceptedReading = {
  readAt: new Date('2025-03-01T00:00:00+03:00'),
  billingPeriod: null,
  values: { T1: 12_500n },
};

const HISTORY: PeriodUsage[] = [{ period: '2026-10', consumptionUnits: 3_000n, days: 30 }];

const CARRIED: MeterState = {
  last: { readAt: new Date('2026-11-20T10:00:00+03:00'), billingPeriod: '2026-11', values: {} },
  history: [],
};

const COLD_SERIAL = '19-654321';
const COLD: LoadedMeter = { ...METER, serial: COLD_SERIAL, resource: 'cold_water' };
const COLD_LAST: AcceptedReading = { ...LAST, values: { T1: 250_000n } };
const COLD_INITIAL: AcceptedReading = { ...INITIAL };
const COLD_HISTORY: PeriodUsage[] = [{ period: '2026-10', consumptionUnits: 5_000n, days: 30 }];

function loaded(overrides: Partial<LoadedFacts> = {}): LoadedFacts {
  return {
    accounts: new Set([ACCOUNT]),
    meters: new Map([[SERIAL, METER]]),
    lastAccepted: new Map([[SERIAL, LAST]]),
    history: new Map([[SERIAL, HISTORY]]),
    waterMeters: new Map([[ACCOUNT, [SERIAL]]]),
    ...overrides,
  };
}

/** ACCOUNT with a cold-water meter next to the hot one. */
function withCold(overrides: Partial<LoadedFacts> = {}): LoadedFacts {
  return loaded({
    meters: new Map([
      [SERIAL, METER],
      [COLD_SERIAL, COLD],
    ]),
    lastAccepted: new Map([
      [SERIAL, LAST],
      [COLD_SERIAL, COLD_LAST],
    ]),
    history: new Map([
      [SERIAL, HISTORY],
      [COLD_SERIAL, COLD_HISTORY],
    ]),
    waterMeters: new Map([[ACCOUNT, [SERIAL, COLD_SERIAL]]]),
    ...overrides,
  });
}

/** The hot meter's facts with the cold one as its other meter, in `coldState`. */
function withColdFacts(coldState: MeterState): ReadingFacts {
  return {
    accountKnown: true,
    meter: METER,
    state: { last: LAST, history: HISTORY },
    otherMeters: [{ meter: COLD, state: coldState }],
  };
}

describe('readingFacts', () => {
  const cases: [string, LoadedFacts, string, Map<string, MeterState> | undefined, ReadingFacts][] =
    [
      [
        'a known meter: its last accepted reading and history',
        loaded(),
        ACCOUNT,
        undefined,
        {
          accountKnown: true,
          meter: METER,
          state: { last: LAST, history: HISTORY },
          otherMeters: [],
        },
      ],
      [
        'no accepted reading yet: the registry initial values are the baseline',
        loaded({ lastAccepted: new Map(), history: new Map() }),
        ACCOUNT,
        undefined,
        {
          accountKnown: true,
          meter: METER,
          state: { last: INITIAL, history: [] },
          otherMeters: [],
        },
      ],
      [
        'no accepted reading and no initial values: no baseline',
        loaded({
          meters: new Map([[SERIAL, WITHOUT_INITIAL]]),
          lastAccepted: new Map(),
        }),
        ACCOUNT,
        undefined,
        {
          accountKnown: true,
          meter: WITHOUT_INITIAL,
          state: { last: null, history: HISTORY },
          otherMeters: [],
        },
      ],
      [
        'initial values without their date: no baseline',
        loaded({
          meters: new Map([[SERIAL, UNDATED_INITIAL]]),
          lastAccepted: new Map(),
        }),
        ACCOUNT,
        undefined,
        {
          accountKnown: true,
          meter: UNDATED_INITIAL,
          state: { last: null, history: HISTORY },
          otherMeters: [],
        },
      ],
      [
        'a meter not in the registry: unknown, without a state',
        loaded({ meters: new Map(), lastAccepted: new Map(), history: new Map() }),
        ACCOUNT,
        undefined,
        { accountKnown: true, meter: null, state: { last: null, history: [] }, otherMeters: [] },
      ],
      [
        'an account not loaded: unknown',
        loaded({ accounts: new Set() }),
        ACCOUNT,
        undefined,
        {
          accountKnown: false,
          meter: METER,
          state: { last: LAST, history: HISTORY },
          otherMeters: [],
        },
      ],
      [
        'another account than the meter is on: known, the meter as it is',
        loaded({ accounts: new Set([ACCOUNT, '5009999999']) }),
        '5009999999',
        undefined,
        {
          accountKnown: true,
          meter: METER,
          state: { last: LAST, history: HISTORY },
          otherMeters: [],
        },
      ],
      [
        'a state carried from earlier readings of the run wins over the loaded one',
        loaded(),
        ACCOUNT,
        new Map([[SERIAL, CARRIED]]),
        { accountKnown: true, meter: METER, state: CARRIED, otherMeters: [] },
      ],
      [
        "the account's other water meter, with its last accepted reading",
        withCold(),
        ACCOUNT,
        undefined,
        withColdFacts({ last: COLD_LAST, history: COLD_HISTORY }),
      ],
      [
        'the other water meter without accepted readings: its initial values',
        withCold({ lastAccepted: new Map([[SERIAL, LAST]]) }),
        ACCOUNT,
        undefined,
        withColdFacts({ last: COLD_INITIAL, history: COLD_HISTORY }),
      ],
      [
        'a state carried for the other water meter wins over the loaded one',
        withCold(),
        ACCOUNT,
        new Map([[COLD_SERIAL, CARRIED]]),
        withColdFacts(CARRIED),
      ],
      [
        "the meter's own account counts, not the one the reading names",
        withCold({ accounts: new Set([ACCOUNT, '5009999999']) }),
        '5009999999',
        undefined,
        withColdFacts({ last: COLD_LAST, history: COLD_HISTORY }),
      ],
      [
        'an unknown meter has no other meters',
        withCold({ meters: new Map([[COLD_SERIAL, COLD]]) }),
        ACCOUNT,
        undefined,
        {
          accountKnown: true,
          meter: null,
          state: { last: LAST, history: HISTORY },
          otherMeters: [],
        },
      ],
    ];

  it.each(cases)('%s', (_name, facts, accountNumber, carried, expected) => {
    expect(readingFacts(facts, accountNumber, SERIAL, carried)).toEqual(expected);
  });
});

describe('submissionInput', () => {
  const message: SubmissionMessage = {
    schema: 'meter-reading-submitted/1',
    submissionId: '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
    channel: 'paper-slip',
    source: { id: 'SC-01', ref: 'S-000001/19-123456' },
    accountNumber: ACCOUNT,
    meterSerial: SERIAL,
    values: [{ zone: 'T1', value: '01234,567' }],
    readAt: '2026-11-20T10:15:00+03:00',
    receivedAt: '2026-11-20T10:15:02.311+03:00',
    confidence: 0.97,
  };

  it.each([
    ['a scanned slip with its confidence', message, 0.97],
    [
      'a reading typed by a person',
      { ...message, channel: 'kiosk' as const, confidence: null },
      null,
    ],
  ])('%s', (_name, submitted, confidence) => {
    expect(submissionInput(submitted)).toEqual({
      accountNumber: ACCOUNT,
      values: [{ zone: 'T1', value: '01234,567' }],
      readAt: new Date('2026-11-20T07:15:00Z'),
      receivedAt: new Date('2026-11-20T07:15:02.311Z'),
      confidence,
    });
  });
});
