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

/** The meter's standing on a Moscow date. A meter is usable through its due date inclusive. */
export function verificationStatus(
  meter: { dueOn: IsoDate; decommissionedOn: IsoDate | null },
  on: CalendarDate,
): VerificationStatus {
  const today = formatDate(on);
  if (meter.decommissionedOn !== null && meter.decommissionedOn <= today) return 'decommissioned';
  const daysLeft = daysBetween(today, meter.dueOn);
  if (daysLeft < 0) return 'expired';
  return daysLeft <= DUE_SOON_DAYS ? 'due_soon' : 'valid';
}
