import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RESOURCE_TEXTS_RU } from '@gw/domain';
import { counter, RepeatingTask } from '@gw/platform';
import { CabinetEnv } from '../cabinet.env';
import { CabinetError } from '../cabinet.errors';
import { verificationReminderMail } from '../mail/code-mail.texts';
import { CodeMailer } from '../mail/code-mailer';
import {
  type PendingReminderMail,
  ReminderMailRepository,
} from '../persistence/reminder-mail.repository';

const mailed = counter(
  'cabinet_reminder_mails_total',
  'Verification reminders e-mailed to residents',
);
const failures = counter(
  'cabinet_reminder_mail_failures_total',
  'Verification reminder e-mails not sent (tried again on the next run)',
);

/** Mails looked up at a time; a run goes through every page. */
const PAGE_SIZE = 200;

/**
 * E-mails each verification reminder (decided by the reminder job, contract section 9) once to
 * every resident who has the account in the cabinet, every CABINET_REMINDER_MAIL_INTERVAL_MS. A run
 * tries every pending mail once: one the SMTP server refused does not hold up the others and is
 * tried again on the next run; a failing database ends the run. Addresses never reach the logs.
 */
@Injectable()
export class ReminderMails implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReminderMails.name);
  private readonly task: RepeatingTask;
  private stopping = false;

  constructor(
    private readonly mails: ReminderMailRepository,
    private readonly mailer: CodeMailer,
    private readonly env: CabinetEnv,
  ) {
    this.task = new RepeatingTask(
      async () => {
        await this.run();
      },
      (error) => this.logger.warn({ msg: 'reminder e-mail run failed', error: error.message }),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start(this.env.CABINET_REMINDER_MAIL_INTERVAL_MS, true);
  }

  onModuleDestroy(): Promise<void> {
    // A run through many mails to a mail server that times out would otherwise hold up shutdown.
    this.stopping = true;
    return this.task.stop();
  }

  /** Tries every pending mail once, `pageSize` looked up at a time; returns how many went out. */
  async run(pageSize = PAGE_SIZE): Promise<number> {
    let sent = 0;
    let failed = 0;
    let page: PendingReminderMail[] = [];
    do {
      page = await this.mails.pending(pageSize, page.at(-1));
      for (const mail of page) {
        if (this.stopping) break;
        try {
          if (await this.send(mail)) sent += 1;
        } catch (error) {
          if (!(error instanceof CabinetError && error.code === 'MAIL_UNAVAILABLE')) throw error;
          failed += 1;
          failures.inc();
        }
      }
    } while (page.length === pageSize && !this.stopping);
    if (failed > 0)
      this.logger.warn({ msg: 'reminder e-mails not sent, tried again on the next run', failed });
    return sent;
  }

  private async send(mail: PendingReminderMail): Promise<boolean> {
    const text = verificationReminderMail({
      ...mail,
      resourceName: RESOURCE_TEXTS_RU[mail.resource],
    });
    const sent = await this.mails.sendOnce(mail, () => this.mailer.send(mail.email, text));
    if (sent) mailed.inc();
    return sent;
  }
}
