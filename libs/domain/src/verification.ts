import {
  addMonths,
  type CalendarDate,
  daysBetween,
  formatDate,
  type IsoDate,
  parseDate,
} from './moscow-time';

export type VerificationStatus = 'valid' | 'due_soon' | 'expired' | 'decommissioned';

/** Readings taken this many days or fewer before the due date carry a warning. */
export const DUE_SOON_DAYS = 30;

/** Due date = last verification + the meter's interval (calendar months, clamped to month end). */
export function verificationDueOn(verifiedOn: IsoDate, intervalMonths: number): IsoDate {
  return formatDate(addMonths(parseDate(verifiedOn), intervalMonths));
}

/** One verification of a meter: made on `verifiedOn`, valid through `dueOn`. */
export interface VerificationPeriod {
  verifiedOn: IsoDate;
  dueOn: IsoDate;
}

/**
 * The due date that judges a reading taken on `on`: that of the verification in force then, the
 * latest one made on or before that date, whatever was recorded since. Null when none was in force
 * (the reading predates every verification on record). A meter with no history on record is
 * judged by its current verification.
 */
export function dueOnAt(
  meter: { verificationDueOn: IsoDate; verifications: readonly VerificationPeriod[] },
  on: CalendarDate,
): IsoDate | null {
  if (meter.verifications.length === 0) return meter.verificationDueOn;
  const day = formatDate(on);
  let inForce: VerificationPeriod | null = null;
  for (const v of meter.verifications)
    if (v.verifiedOn <= day && (inForce === null || v.verifiedOn > inForce.verifiedOn)) inForce = v;
  return inForce?.dueOn ?? null;
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
