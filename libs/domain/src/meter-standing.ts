import type { Resource } from '@gw/contracts';
import { type CalendarDate, type IsoDate, type Period } from './moscow-time';
import { billingPeriodOf, windowOf, type WindowPolicy } from './submission-window';
import { verificationStatus, type VerificationStatus } from './verification';

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
  verification: VerificationStatus;
  /** False when the processor would reject any reading taken today (expired or decommissioned). */
  acceptsReadings: boolean;
  window: ReadingWindow;
}

/**
 * What a resident needs to know about a meter today, decided by the same rules the processor
 * applies to a reading taken now: the verification standing, and the window of the billing period
 * the reading would count for (after this month's window closed, that is next month's).
 */
export function meterStanding(
  meter: { resource: Resource; verificationDueOn: IsoDate; decommissionedOn: IsoDate | null },
  today: CalendarDate,
  policy: WindowPolicy,
): MeterStanding {
  const verification = verificationStatus(
    { dueOn: meter.verificationDueOn, decommissionedOn: meter.decommissionedOn },
    today,
  );
  const { billingPeriod, insideWindow } = billingPeriodOf(policy, meter.resource, today);
  const [year, month] = billingPeriod.split('-').map(Number);
  const { openDay, closeDay } = windowOf(policy, meter.resource, year, month);
  const day = (d: number) => `${billingPeriod}-${String(d).padStart(2, '0')}`;
  return {
    verification,
    acceptsReadings: verification === 'valid' || verification === 'due_soon',
    window: { open: insideWindow, opensOn: day(openDay), closesOn: day(closeDay), billingPeriod },
  };
}
