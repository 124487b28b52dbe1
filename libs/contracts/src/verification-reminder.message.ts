import type { Resource } from './codes';

export const VERIFICATION_REMINDER_SCHEMA = 'meter-verification-reminder/1';

/** Days before the due date on which a reminder goes out (contract section 9). */
export const REMINDER_DAYS = [60, 30, 0] as const;
export type ReminderDays = (typeof REMINDER_DAYS)[number];

/** A reminder on `meter-verifications.reminders.v1` (contract section 9), keyed by account. */
export interface VerificationReminderMessage {
  schema: typeof VERIFICATION_REMINDER_SCHEMA;
  accountNumber: string;
  meterSerial: string;
  resource: Resource;
  dueOn: string;
  daysLeft: ReminderDays;
  publishedAt: string;
}
