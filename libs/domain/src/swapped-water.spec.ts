import type { OutcomeStatus, ReasonCode, WarningCode } from '@gw/contracts';
import { toUnits } from './decimal';
import { parseDate } from './moscow-time';
import type { PeriodUsage } from './plausibility';
import { type AcceptedReading, decideReading, type MeterFacts } from './reading-decision';
import { mayBeSwapped, type SiblingMeter, swapCounterpart, swapReasons } from './swapped-water';
import { meterFacts, readingPolicy } from './testing/reading-fixtures';

const ACCOUNT = '5001234567';
const m3 = (text: string) => toUnits(text) as bigint;

const POLICY = readingPolicy();

/** A one-zone water meter (5 + 3 digits) on ACCOUNT, verified until 2031. */
function water(serial: string, resource: MeterFacts['resource'], over: Partial<MeterFacts> = {}) {
  return meterFacts({ serial, resource, ...over });
}

/** The last accepted reading: `value` m³ on 20 October 2026 (31 days before the reading). */
function last(value: string, over: Partial<AcceptedReading> = {}): AcceptedReading {
  return {
    readAt: new Date('2026-10-20T10:00:00+03:00'),
    billingPeriod: '2026-10',
    values: { T1: m3(value) },
    ...over,
  };
}

/** Three quiet months: 3 m³ per 30 days, 0.1 m³ a day. */
const QUIET: PeriodUsage[] = ['2026-08', '2026-09', '2026-10'].map((period) => ({
  period,
  consumptionUnits: m3('3'),
  days: 30,
}));

const COLD = water('C-1', 'cold_water');
const HOT = water('H-1', 'hot_water');

/** The account's hot-water meter, last read at `value` m³, as the cold meter's other meter. */
function hotAt(value: string | null, over: Partial<MeterFacts> = {}, history: PeriodUsage[] = []) {
  return { meter: { ...HOT, ...over }, state: { last: value ? last(value) : null, history } };
}

interface Row {
  /** The meter the reading names (default the cold one, last read at 100 m³). */
  meter?: MeterFacts;
  lastValue?: string;
  others: SiblingMeter[];
  value: string | { zone: string; value: string }[];
  confidence?: number;
}

function decide(row: Row) {
  const values = typeof row.value === 'string' ? [{ zone: 'T1', value: row.value }] : row.value;
  const decision = decideReading(
    {
      accountNumber: ACCOUNT,
      values,
      readAt: new Date('2026-11-20T10:00:00+03:00'),
      receivedAt: new Date('2026-11-20T10:00:02+03:00'),
      confidence: row.confidence ?? null,
    },
    {
      accountKnown: true,
      meter: row.meter ?? COLD,
      state: { last: last(row.lastValue ?? '100'), history: [] },
      otherMeters: row.others,
    },
    POLICY,
  );
  return {
    status: decision.status,
    reasons: decision.reasons,
    warnings: decision.warnings,
    consumption: decision.consumption.map((c) => c.value),
  };
}

type Expected = [OutcomeStatus, ReasonCode[], string[], WarningCode[]?];

const SWAP: Expected = ['needs_review', ['SUSPECTED_SWAP'], []];
const DECREASED: Expected = ['rejected', ['VALUE_DECREASED'], []];

describe('decideReading: swapped cold and hot water (domain.md)', () => {
  const rows: [string, Row, Expected][] = [
    // The cases of domain.md: cold last 100 m³, hot last 45 m³, read 31 days later.
    [
      'the hot value typed for the cold meter: review, not rejected',
      { others: [hotAt('45')], value: '50' },
      SWAP,
    ],
    [
      'the cold value typed for the hot meter: a spike for hot (85 m³ in 31 days), 30 m³ for cold',
      {
        meter: HOT,
        lastValue: '45',
        others: [{ meter: COLD, state: { last: last('100'), history: [] } }],
        value: '130',
      },
      ['needs_review', ['SUSPECTED_SWAP'], ['85.000']],
    ],
    ['lower than both meters: still a decrease', { others: [hotAt('45')], value: '40' }, DECREASED],
    [
      "equal to the other meter's last value (no consumption there): review",
      { others: [hotAt('45')], value: '45' },
      SWAP,
    ],
    [
      'the other meter would use more than its ceiling (hot 2 m³ a day): a decrease',
      { others: [hotAt('20')], value: '90' },
      DECREASED,
    ],
    [
      'the other meter would use more than 10x its own average: a decrease',
      { others: [hotAt('45', {}, QUIET)], value: '80' },
      DECREASED,
    ],
    [
      "within the other meter's average: review",
      { others: [hotAt('45', {}, QUIET)], value: '47' },
      SWAP,
    ],
    [
      'a spike on its own meter that is a spike on the other too: a spike',
      { others: [hotAt('45')], value: '200' },
      ['needs_review', ['CONSUMPTION_SPIKE'], ['100.000']],
    ],
    [
      'OCR doubt stays next to the swap',
      { others: [hotAt('45')], value: '50', confidence: 0.5 },
      ['needs_review', ['SUSPECTED_SWAP', 'LOW_CONFIDENCE'], []],
    ],
    [
      'a plausible value is accepted whatever the other meter says',
      { others: [hotAt('120')], value: '130' },
      ['accepted', [], ['30.000']],
    ],
    [
      'a plausible rollover of its own meter stays a rollover',
      { lastValue: '99998', others: [hotAt('1')], value: '2' },
      ['accepted', [], ['4.000'], ['ROLLOVER']],
    ],
    [
      'a value the other meter could only reach by rolling over: a decrease',
      { lastValue: '100', others: [hotAt('99990')], value: '5' },
      DECREASED,
    ],
    // Which meter is "the other one".
    ['no other meter on the account', { others: [], value: '50' }, DECREASED],
    [
      'two cold meters and one hot: no pair',
      {
        others: [
          hotAt('45'),
          { meter: water('C-2', 'cold_water'), state: { last: last('48'), history: [] } },
        ],
        value: '50',
      },
      DECREASED,
    ],
    [
      'the other water meter is cold too',
      {
        others: [{ meter: water('C-2', 'cold_water'), state: { last: last('45'), history: [] } }],
        value: '50',
      },
      DECREASED,
    ],
    [
      'a replaced hot meter: the one in service is the pair',
      {
        others: [
          hotAt('45', { serial: 'H-0', decommissionedOn: '2026-11-01' }),
          hotAt('45', { serial: 'H-2' }),
        ],
        value: '50',
      },
      SWAP,
    ],
    [
      'the replacement hot meter installed after the reading: the replaced one is the pair',
      {
        others: [
          hotAt('45', { serial: 'H-0', decommissionedOn: '2026-12-01' }),
          hotAt('0', { serial: 'H-2', installedOn: '2026-12-01' }),
        ],
        value: '50',
      },
      SWAP,
    ],
    [
      'the other meter installed after the reading',
      { others: [hotAt('45', { installedOn: '2026-11-21' })], value: '50' },
      DECREASED,
    ],
    [
      "the other meter installed on the reading's day",
      { others: [hotAt('45', { installedOn: '2026-11-20' })], value: '50' },
      SWAP,
    ],
    [
      'the other meter was removed before the reading',
      { others: [hotAt('45', { decommissionedOn: '2026-11-20' })], value: '50' },
      DECREASED,
    ],
    [
      "the other meter's verification ran out: its values could not be used",
      { others: [hotAt('45', { verificationDueOn: '2026-11-01' })], value: '50' },
      DECREASED,
    ],
    [
      'a meter of another account is never the pair',
      { others: [hotAt('45', { accountNumber: '5009999999' })], value: '50' },
      DECREASED,
    ],
    [
      'no history on the other meter: nothing to compare with',
      { others: [hotAt(null)], value: '50' },
      DECREASED,
    ],
    [
      'the other meter has a later accepted reading',
      {
        others: [
          {
            meter: HOT,
            state: {
              last: last('45', { readAt: new Date('2026-11-21T09:00:00+03:00') }),
              history: [],
            },
          },
        ],
        value: '50',
      },
      DECREASED,
    ],
    [
      "more fraction digits than the other meter's register shows",
      { others: [hotAt('45', { fractionDigits: 2 })], value: '00050.125' },
      DECREASED,
    ],
    [
      'the other meter has two zones, the value one',
      {
        others: [
          {
            meter: { ...HOT, zones: 2 },
            state: { last: last('45', { values: { T1: m3('45'), T2: m3('1') } }), history: [] },
          },
        ],
        value: '50',
      },
      DECREASED,
    ],
    [
      'electricity is never swapped with water',
      {
        meter: water('E-1', 'electricity'),
        others: [hotAt('45')],
        lastValue: '100',
        value: '50',
      },
      DECREASED,
    ],
  ];

  it.each(rows)('%s', (_name, row, [status, reasons, consumption, warnings = []]) => {
    expect(decide(row)).toEqual({ status, reasons, warnings, consumption });
  });
});

describe('swapCounterpart', () => {
  const on = parseDate('2026-11-20');
  const hot = hotAt('45');

  it.each<[string, MeterFacts, SiblingMeter[], SiblingMeter | null]>([
    ['cold with one hot', COLD, [hot], hot],
    ['the meter itself is not its own pair', COLD, [{ ...hot, meter: COLD }], null],
    [
      'hot with one cold',
      HOT,
      [{ meter: COLD, state: hot.state }],
      { meter: COLD, state: hot.state },
    ],
    ['a gas meter', water('G-1', 'gas'), [hot], null],
  ])('%s', (_name, meter, others, expected) => {
    expect(swapCounterpart(meter, others, on)).toEqual(expected);
  });

  // In service on the day: installed on or before it, not yet decommissioned on it.
  it.each<[string, Partial<MeterFacts>, boolean]>([
    ['installed long before: a pair', { installedOn: '2020-01-01' }, true],
    ['installed on the day: a pair', { installedOn: '2026-11-20' }, true],
    ['installed the day after: no pair', { installedOn: '2026-11-21' }, false],
    ['decommissioned the day after: a pair', { decommissionedOn: '2026-11-21' }, true],
    ['decommissioned on the day: no pair', { decommissionedOn: '2026-11-20' }, false],
    [
      'installed before and decommissioned after the day: a pair',
      { installedOn: '2026-11-01', decommissionedOn: '2026-12-01' },
      true,
    ],
  ])('the other meter %s', (_name, over, paired) => {
    const other = hotAt('45', over);
    expect(swapCounterpart(COLD, [other], on)).toEqual(paired ? other : null);
  });
});

describe('swapReasons', () => {
  it.each<[ReasonCode[], ReasonCode[]]>([
    [['VALUE_DECREASED'], ['SUSPECTED_SWAP']],
    [
      ['CONSUMPTION_SPIKE', 'LOW_CONFIDENCE'],
      ['SUSPECTED_SWAP', 'LOW_CONFIDENCE'],
    ],
    [['LOW_CONFIDENCE'], ['LOW_CONFIDENCE']],
  ])('%j becomes %j', (reasons, expected) => {
    expect(swapReasons(reasons)).toEqual(expected);
  });
});

describe('mayBeSwapped', () => {
  it.each<[string, ReasonCode[], MeterFacts | undefined, boolean]>([
    ['a decrease on a cold meter', ['VALUE_DECREASED'], COLD, true],
    ['a spike on a hot meter', ['CONSUMPTION_SPIKE', 'LOW_CONFIDENCE'], HOT, true],
    ['OCR doubt alone', ['LOW_CONFIDENCE'], COLD, false],
    ['an accepted reading', [], COLD, false],
    ['a decrease on an electricity meter', ['VALUE_DECREASED'], water('E-1', 'electricity'), false],
    ['an unknown meter', ['VALUE_DECREASED'], undefined, false],
  ])('%s: %s', (_name, reasons, meter, expected) => {
    expect(mayBeSwapped({ reasons }, meter)).toBe(expected);
  });
});
