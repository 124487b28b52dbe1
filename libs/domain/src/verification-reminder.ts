import { REMINDER_DAYS, type ReminderDays } from '@gw/contracts';
import { addDays, type IsoDate } from './moscow-time';

/** A run may catch up at most this many missed days: beyond, the next reminder is nearer than the missed one. */
export const MAX_REMINDER_CATCH_UP_DAYS = 29;

/** The due dates one reminder goes out for: those whose reminder day falls in the range. */
export interface ReminderRange {
  daysLeft: ReminderDays;
  dueFrom: IsoDate;
  dueTo: IsoDate;
}

/**
 * What a reminder run on `today` covers: for each of 60, 30 and 0 days left, the due dates whose
 * reminder day (due date minus the days left) is today or one of the `catchUpDays` days before, so
 * a day the job did not run is made up for on the next one. Each (meter, due date, days left) is
 * sent once whatever the overlap between runs: the store keeps that key unique.
 */
export function reminderRanges(today: IsoDate, catchUpDays: number): ReminderRange[] {
  if (!Number.isInteger(catchUpDays) || catchUpDays < 0 || catchUpDays > MAX_REMINDER_CATCH_UP_DAYS)
    throw new RangeError(`catch-up days must be 0 to ${MAX_REMINDER_CATCH_UP_DAYS}`);
  return REMINDER_DAYS.map((daysLeft) => ({
    daysLeft,
    dueFrom: addDays(today, daysLeft - catchUpDays),
    dueTo: addDays(today, daysLeft),
  }));
}
