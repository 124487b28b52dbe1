import {
  addMonths,
  type CalendarDate,
  daysBetween,
  formatDate,
  type IsoDate,
  parseDate,
} from './moscow-time';
import type { NumberRule } from './plain-number';

export type VerificationStatus = 'valid' | 'due_soon' | 'expired' | 'decommissioned';

/**
 * The verification intervals the gateway records, in months: the registry import and the back
 * office take the same ones. Type approval sets a meter's interval, 16 years at most for today's
 * meters (domain.md); up to 20 leaves room for a longer approval, and still refuses a zero typed
 * too many (72 as 720), which would keep a meter in verification for decades.
 */
export const VERIFICATION_INTERVAL_MONTHS: NumberRule = { min: 1, max: 240 };

/** Readings taken this many days or fewer before the due date carry a warning. */
export const DUE_SOON_DAYS = 30;

/** Due date = last verification + the meter's interval (calendar months, clamped to month end). */
export function verificationDueOn(verifiedOn: IsoDate, intervalMonths: number): IsoDate {
  return formatDate(addMonths(parseDate(verifiedOn), intervalMonths));
}

/**
 * One verification record of a meter: made on `verifiedOn`, valid through `dueOn`; or, with
 * `applicable` false (Arshin's "извещение о непригодности"), a finding that the meter is unfit
 * from `verifiedOn` on, with no due date. Absent `applicable` means fit.
 */
export interface VerificationPeriod {
  verifiedOn: IsoDate;
  dueOn: IsoDate | null;
  applicable?: boolean;
}

/** What judges a reading taken on a day: a fit verification, none, or an unfit finding. */
export type VerificationInForce =
  { kind: 'fit'; dueOn: IsoDate } | { kind: 'none' } | { kind: 'unfit'; since: IsoDate };

/**
 * The verification record in force on `on`: the latest one made on or before that date, whatever
 * was recorded since, so a reading is judged by its own date and never by the order records
 * arrived in. `none` when the reading predates every record on file; a meter with no history on
 * record is judged by its current verification.
 */
export function verificationAt(
  meter: { verificationDueOn: IsoDate; verifications: readonly VerificationPeriod[] },
  on: CalendarDate,
): VerificationInForce {
  if (meter.verifications.length === 0) return { kind: 'fit', dueOn: meter.verificationDueOn };
  const day = formatDate(on);
  let inForce: VerificationPeriod | null = null;
  for (const v of meter.verifications)
    if (v.verifiedOn <= day && (inForce === null || v.verifiedOn > inForce.verifiedOn)) inForce = v;
  if (inForce === null) return { kind: 'none' };
  if (inForce.applicable === false || inForce.dueOn === null)
    return { kind: 'unfit', since: inForce.verifiedOn };
  return { kind: 'fit', dueOn: inForce.dueOn };
}

/**
 * Why the verification on record refuses a reading taken on `on`, or null when one in force
 * covers it: an unfit finding in force is `VERIFICATION_FAILED`; no verification in force, or
 * one past its due date, is `VERIFICATION_EXPIRED`.
 */
export function verificationRejection(
  meter: { verificationDueOn: IsoDate; verifications: readonly VerificationPeriod[] },
  on: CalendarDate,
): 'VERIFICATION_FAILED' | 'VERIFICATION_EXPIRED' | null {
  const inForce = verificationAt(meter, on);
  if (inForce.kind === 'unfit') return 'VERIFICATION_FAILED';
  if (inForce.kind === 'none' || formatDate(on) > inForce.dueOn) return 'VERIFICATION_EXPIRED';
  return null;
}

/** The due date that judges a reading taken on `on`; null when no fit verification is in force. */
export function dueOnAt(
  meter: { verificationDueOn: IsoDate; verifications: readonly VerificationPeriod[] },
  on: CalendarDate,
): IsoDate | null {
  const inForce = verificationAt(meter, on);
  return inForce.kind === 'fit' ? inForce.dueOn : null;
}

/**
 * The meter's standing on a Moscow date. A meter is usable through its due date inclusive; with no
 * verification in force (`dueOn` null) it is expired.
 */
export function verificationStatus(
  meter: { dueOn: IsoDate | null; decommissionedOn: IsoDate | null },
  on: CalendarDate,
): VerificationStatus {
  const today = formatDate(on);
  if (meter.decommissionedOn !== null && meter.decommissionedOn <= today) return 'decommissioned';
  if (meter.dueOn === null) return 'expired';
  const daysLeft = daysBetween(today, meter.dueOn);
  if (daysLeft < 0) return 'expired';
  return daysLeft <= DUE_SOON_DAYS ? 'due_soon' : 'valid';
}
