import type { Resource } from '@gw/contracts';
import { type CalendarDate, type IsoDate, type Period } from './moscow-time';
import { billingPeriodOf, windowOf, type WindowPolicy } from './submission-window';
import {
  verificationAt,
  type VerificationPeriod,
  verificationStatus,
  type VerificationStatus,
} from './verification';

/**
 * A meter's verification standing as residents and operators are shown it: the contract's
 * statuses, plus `unfit` when the verification in force is a finding that the meter is unfit.
 */
export type VerificationStanding = VerificationStatus | 'unfit';

/**
 * The standing in the contract's vocabulary (section 6), which has no `unfit`: a meter found
 * unfit accepts no readings and its verification has ended, so the wire says `expired`.
 */
export function contractVerificationStatus(standing: VerificationStanding): VerificationStatus {
  return standing === 'unfit' ? 'expired' : standing;
}

/** The submission window that a reading given today falls under. */
export interface ReadingWindow {
  /** Whether today is inside it: outside, readings are still taken but flagged `OUTSIDE_WINDOW`. */
  open: boolean;
  opensOn: IsoDate;
  closesOn: IsoDate;
  /** The billing period a reading given today counts for. */
  billingPeriod: Period;
}

export interface MeterStanding {
  verification: VerificationStanding;
  /** The date of the unfit finding in force today; null unless `verification` is `unfit`. */
  unfitSince: IsoDate | null;
  /** False when the processor would reject any reading taken today (expired, unfit or decommissioned). */
  acceptsReadings: boolean;
  window: ReadingWindow;
}

/**
 * What a resident needs to know about a meter today, decided by the same rules the processor
 * applies to a reading taken now: the verification standing, and the window of the billing period
 * the reading would count for (after this month's window closed, that is next month's). The
 * verification is the one in force today in the meter's history, so an unfit finding shows as
 * `unfit` rather than as a lapsed due date.
 */
export function meterStanding(
  meter: {
    resource: Resource;
    verificationDueOn: IsoDate;
    decommissionedOn: IsoDate | null;
    verifications: readonly VerificationPeriod[];
  },
  today: CalendarDate,
  policy: WindowPolicy,
): MeterStanding {
  const status = verificationStatus(
    { dueOn: meter.verificationDueOn, decommissionedOn: meter.decommissionedOn },
    today,
  );
  const inForce = verificationAt(meter, today);
  const unfitSince = status !== 'decommissioned' && inForce.kind === 'unfit' ? inForce.since : null;
  const verification: VerificationStanding = unfitSince === null ? status : 'unfit';
  const { billingPeriod, insideWindow } = billingPeriodOf(policy, meter.resource, today);
  const [year, month] = billingPeriod.split('-').map(Number);
  const { openDay, closeDay } = windowOf(policy, meter.resource, year, month);
  const day = (d: number) => `${billingPeriod}-${String(d).padStart(2, '0')}`;
  return {
    verification,
    unfitSince,
    acceptsReadings: verification === 'valid' || verification === 'due_soon',
    window: { open: insideWindow, opensOn: day(openDay), closesOn: day(closeDay), billingPeriod },
  };
}
