import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RESOURCE_TEXTS_RU } from '@gw/domain';
import { counter, RepeatingTask } from '@gw/platform';
import { CabinetEnv } from '../cabinet.env';
import { verificationReminderMail } from '../mail/code-mail.texts';
import { CodeMailer } from '../mail/code-mailer';
import { ReminderMailRepository } from '../persistence/reminder-mail.repository';

const mailed = counter(
  'cabinet_reminder_mails_total',
  'Verification reminders e-mailed to residents',
);

/** Mails looked up per run. */
const BATCH = 200;

/**
 * E-mails each verification reminder (decided by the reminder job, contract section 9) once to
 * every resident who has the account in the cabinet, every CABINET_REMINDER_MAIL_INTERVAL_MS. A
 * mail the SMTP server refused is tried again on the next run; addresses never reach the logs.
 */
@Injectable()
export class ReminderMails implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReminderMails.name);
  private readonly task: RepeatingTask;

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
    return this.task.stop();
  }

  /** Sends what is pending; returns how many mails went out. */
  async run(): Promise<number> {
    let sent = 0;
    try {
      for (const mail of await this.mails.pending(BATCH)) {
        const text = verificationReminderMail({
          ...mail,
          resourceName: RESOURCE_TEXTS_RU[mail.resource],
        });
        if (await this.mails.sendOnce(mail, () => this.mailer.send(mail.email, text))) sent += 1;
      }
    } catch (error) {
      this.logger.warn({
        msg: 'reminder e-mails left for the next run',
        error: (error as Error).message,
      });
    }
    mailed.inc(sent);
    return sent;
  }
}
