import { type IsoDate, reminderRanges } from '@gw/domain';
import type { VerificationReminderRepository } from '@gw/persistence';

export interface ReminderRunReport {
  date: IsoDate;
  /** Reminders decided by this run; those decided before are not counted again. */
  recorded: number;
}

/**
 * Verification reminders of one day (contract section 9): 60 and 30 days ahead of a meter's due
 * date and on the day itself, each once per (meter, due date, days left), however often and on
 * however many instances the job runs. Publishing is the relay's.
 */
export class RunRemindersUseCase {
  constructor(
    private readonly reminders: VerificationReminderRepository,
    private readonly catchUpDays: number,
  ) {}

  async run(date: IsoDate, now: Date): Promise<ReminderRunReport> {
    const recorded = await this.reminders.recordDue(
      date,
      reminderRanges(date, this.catchUpDays),
      now,
    );
    return { date, recorded };
  }
}
