import type { OutcomeStatus, ReasonCode, Resource, WarningCode, Zone } from '@gw/contracts';
import { formatUnits } from './decimal';
import {
  addMonthsToInstant,
  DAY_MS,
  type IsoDate,
  moscowDate,
  moscowMidnight,
  type Period,
} from './moscow-time';
import {
  averageUse,
  type DailyCeilings,
  isConsumptionSpike,
  type PeriodUsage,
} from './plausibility';
import { type Register, readZoneValues, zoneConsumption, zonesMatch } from './register';
import { billingPeriodOf, type WindowPolicy } from './submission-window';
import { type SiblingMeter, looksSwapped, SWAP_EXPLAINS, swapReasons } from './swapped-water';
import {
  dueOnAt,
  type VerificationPeriod,
  verificationRejection,
  verificationStatus,
} from './verification';

/** What the registry says about a meter. */
export interface MeterFacts extends Register {
  serial: string;
  accountNumber: string;
  resource: Resource;
  /** Number of tariff zones: 1 means T1 only, 2 means T1+T2, 3 means T1..T3. */
  zones: number;
  /** The current verification's due date. */
  verificationDueOn: IsoDate;
  /** Every verification on record, in any order; a reading is judged by the one in force when taken. */
  verifications: readonly VerificationPeriod[];
  installedOn: IsoDate;
  decommissionedOn: IsoDate | null;
}

export type ZoneUnits = Partial<Record<Zone, bigint>>;

/** The reading consumption is counted from: the latest accepted one, or the registry's initial values. */
export interface AcceptedReading {
  readAt: Date;
  billingPeriod: Period | null;
  values: ZoneUnits;
  /** The values of the other accepted readings of its billing period, where they were loaded. */
  periodValues?: readonly ZoneUnits[];
}

export interface MeterState {
  last: AcceptedReading | null;
  history: PeriodUsage[];
}

export interface ReadingPolicy {
  window: WindowPolicy;
  ceilings: DailyCeilings;
  confidenceThreshold: number;
  futureToleranceMs: number;
  maxAgeMonths: number;
}

export interface ReadingInput {
  accountNumber: string;
  values: { zone: string; value: string }[];
  readAt: Date;
  receivedAt: Date;
  confidence: number | null;
}

export interface ReadingFacts {
  accountKnown: boolean;
  meter: MeterFacts | null;
  state: MeterState;
  /**
   * The account's other meters as loaded (its water meters, for the swapped-water rule); empty
   * where the swap is not to be considered, as when an operator approves a reading as submitted.
   */
  otherMeters: readonly SiblingMeter[];
}

export interface ReadingDecision {
  status: OutcomeStatus;
  reasons: ReasonCode[];
  warnings: WarningCode[];
  billingPeriod: Period | null;
  /** Parsed values, when they fit the register. */
  values: ZoneUnits | null;
  consumption: { zone: Zone; value: string }[];
  /** All zones together, for the meter's average; null without a baseline. */
  consumptionUnits: bigint | null;
  days: number | null;
}

const ZONE_ORDER: Zone[] = ['T1', 'T2', 'T3'];

export function rejected(reason: ReasonCode, billingPeriod: Period | null = null): ReadingDecision {
  return {
    status: 'rejected',
    reasons: [reason],
    warnings: [],
    billingPeriod,
    values: null,
    consumption: [],
    consumptionUnits: null,
    days: null,
  };
}

function sameValues(a: ZoneUnits, b: ZoneUnits): boolean {
  return ZONE_ORDER.every((z) => a[z] === b[z]);
}

/**
 * Decides one reading (contract section 3, domain.md). Identity checks run in order and the
 * first failure decides; value rules then report every code that applies.
 */
export function decideReading(
  input: ReadingInput,
  facts: ReadingFacts,
  policy: ReadingPolicy,
): ReadingDecision {
  const { meter, state } = facts;
  if (!facts.accountKnown) return rejected('UNKNOWN_ACCOUNT');
  if (!meter) return rejected('UNKNOWN_METER');
  if (meter.accountNumber !== input.accountNumber) return rejected('METER_NOT_ON_ACCOUNT');

  const readDate = moscowDate(input.readAt);
  const { billingPeriod, insideWindow } = billingPeriodOf(policy.window, meter.resource, readDate);
  const standing = verificationStatus(
    { dueOn: dueOnAt(meter, readDate), decommissionedOn: meter.decommissionedOn },
    readDate,
  );
  if (standing === 'decommissioned') return rejected('METER_DECOMMISSIONED', billingPeriod);
  const refusal = verificationRejection(meter, readDate);
  if (refusal) return rejected(refusal, billingPeriod);
  if (!zonesMatch(input.values, meter.zones)) return rejected('ZONES_MISMATCH', billingPeriod);
  const values = readZoneValues(input.values, meter);
  if (!values) return rejected('VALUE_FORMAT', billingPeriod);
  if (input.readAt.getTime() > input.receivedAt.getTime() + policy.futureToleranceMs) {
    return rejected('READ_IN_FUTURE', billingPeriod);
  }
  const last = state.last;
  const oldest = addMonthsToInstant(input.receivedAt, -policy.maxAgeMonths);
  if (input.readAt < oldest || (last !== null && input.readAt < last.readAt)) {
    return rejected('READ_TOO_OLD', billingPeriod);
  }

  const base = { billingPeriod, values, warnings: [] as WarningCode[] };
  if (
    last !== null &&
    last.billingPeriod === billingPeriod &&
    [last.values, ...(last.periodValues ?? [])].some((accepted) => sameValues(accepted, values))
  ) {
    return {
      ...base,
      status: 'duplicate',
      reasons: [],
      consumption: [],
      consumptionUnits: null,
      days: null,
    };
  }

  const reasons: ReasonCode[] = [];
  const warnings: WarningCode[] = [];
  let consumption: ReadingDecision['consumption'] = [];
  let consumptionUnits: bigint | null = null;
  let days: number | null = null;
  // Counted from the last values only when they are of the meter's zones: a change of tariff
  // zones, to more or to fewer, starts the count anew.
  const zones = ZONE_ORDER.slice(0, meter.zones);
  if (
    last !== null &&
    ZONE_ORDER.every((z) => (last.values[z] !== undefined) === zones.includes(z))
  ) {
    let total = 0n;
    let rolledOver = false;
    // A lower value no wrap explains (the last one is beyond the register) has no consumption.
    let unexplained = false;
    for (const zone of zones) {
      const used = zoneConsumption(last.values[zone] as bigint, values[zone] as bigint, meter);
      if (used === null) {
        unexplained = true;
        continue;
      }
      rolledOver ||= used.rolledOver;
      total += used.units;
      consumption.push({ zone, value: formatUnits(used.units, meter.fractionDigits) });
    }
    days = (input.readAt.getTime() - last.readAt.getTime()) / DAY_MS;
    const earlier = state.history.filter((p) => p.period < billingPeriod);
    const spike = isConsumptionSpike(
      total,
      days,
      policy.ceilings[meter.resource],
      averageUse(earlier),
    );
    if (unexplained || (rolledOver && spike)) reasons.push('VALUE_DECREASED');
    else if (spike) reasons.push('CONSUMPTION_SPIKE');
    else if (rolledOver) warnings.push('ROLLOVER');
    consumptionUnits = total;
  }
  if (input.confidence !== null && input.confidence < policy.confidenceThreshold)
    reasons.push('LOW_CONFIDENCE');

  const swapped =
    reasons.some((code) => SWAP_EXPLAINS.includes(code)) &&
    looksSwapped(input, meter, facts.otherMeters, readDate, billingPeriod, policy.ceilings);
  if (reasons.includes('VALUE_DECREASED')) {
    if (!swapped)
      return {
        ...base,
        status: 'rejected',
        reasons,
        consumption: [],
        consumptionUnits: null,
        days: null,
      };
    // A lower value has no consumption on its own meter: the wrap it would take is not plausible.
    consumption = [];
    consumptionUnits = null;
    days = null;
  }
  if (standing === 'due_soon') warnings.unshift('VERIFICATION_DUE_SOON');
  if (!insideWindow) warnings.push('OUTSIDE_WINDOW');
  const decided = swapped ? swapReasons(reasons) : reasons;
  const status: OutcomeStatus = decided.length > 0 ? 'needs_review' : 'accepted';
  return {
    status,
    reasons: decided,
    warnings,
    billingPeriod,
    values,
    consumption,
    consumptionUnits,
    days,
  };
}

/** The meter's state once `decision` (accepted) is stored, so later readings in the same batch see it. */
export function afterAccepted(
  state: MeterState,
  readAt: Date,
  decision: ReadingDecision,
): MeterState {
  const billingPeriod = decision.billingPeriod as Period;
  const previous = state.last;
  const last: AcceptedReading = {
    readAt,
    billingPeriod,
    values: decision.values as ZoneUnits,
    periodValues:
      previous?.billingPeriod === billingPeriod
        ? [...(previous.periodValues ?? []), previous.values]
        : [],
  };
  if (decision.consumptionUnits === null || decision.days === null)
    return { last, history: state.history };
  const existing = state.history.find((p) => p.period === billingPeriod);
  const usage: PeriodUsage = {
    period: billingPeriod,
    consumptionUnits: (existing?.consumptionUnits ?? 0n) + decision.consumptionUnits,
    days: (existing?.days ?? 0) + decision.days,
  };
  return { last, history: [...state.history.filter((p) => p.period !== billingPeriod), usage] };
}

/** The baseline a meter starts from: the registry's initial values on their date. */
export function initialReading(
  initialOn: IsoDate | null,
  values: ZoneUnits,
): AcceptedReading | null {
  if (initialOn === null || Object.keys(values).length === 0) return null;
  return { readAt: moscowMidnight(initialOn), billingPeriod: null, values };
}
