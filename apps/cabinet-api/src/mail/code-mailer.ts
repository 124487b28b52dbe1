import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { counter } from '@gw/platform';
import { createTransport, type Transporter } from 'nodemailer';
import { CabinetEnv } from '../cabinet.env';
import { CabinetError } from '../cabinet.errors';
import type { MailText } from './code-mail.texts';

const sent = counter('cabinet_mails_total', 'E-mails the cabinet tried to send', ['result']);

/**
 * Sends the cabinet's e-mails over SMTP (`SMTP_URL`). A failure is logged by its SMTP code only:
 * server replies quote the recipient, and addresses never go to the logs.
 */
@Injectable()
export class CodeMailer implements OnApplicationShutdown {
  private readonly logger = new Logger(CodeMailer.name);
  private readonly transport: Transporter;

  constructor(private readonly env: CabinetEnv) {
    this.transport = createTransport({
      url: env.SMTP_URL,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 10000,
    });
  }

  async send(to: string, mail: MailText): Promise<void> {
    try {
      await this.transport.sendMail({ from: this.env.CABINET_MAIL_FROM, to, ...mail });
      sent.inc({ result: 'sent' });
    } catch (error) {
      sent.inc({ result: 'failed' });
      const { code, responseCode } = error as { code?: string; responseCode?: number };
      this.logger.error({ msg: 'e-mail not sent', smtpError: code ?? 'unknown', responseCode });
      throw new CabinetError(
        'MAIL_UNAVAILABLE',
        'the code could not be sent by e-mail; try again later',
        30,
      );
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
