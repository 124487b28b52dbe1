import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../clock';
import { CabinetThrottle } from '../codes/cabinet-throttle.service';
import { OneTimeCodes } from '../codes/one-time-codes.service';
import { registrationCodeMail } from '../mail/code-mail.texts';
import { CodeMailer } from '../mail/code-mailer';
import { ResidentRepository } from '../persistence/resident.repository';
import { type PaymentDocument, PaymentDocumentCheck } from './payment-document-check.service';

export interface RegisterResident extends PaymentDocument {
  email: string;
  phone: string;
  clientIp: string;
}

/**
 * Step one of registration: the payment document must match, then a code goes to the e-mail and
 * the details wait (at most CABINET_PENDING_REGISTRATION_HOURS) for it to be confirmed.
 */
@Injectable()
export class RegisterResidentUseCase {
  constructor(
    private readonly check: PaymentDocumentCheck,
    private readonly throttle: CabinetThrottle,
    private readonly residents: ResidentRepository,
    private readonly codes: OneTimeCodes,
    private readonly mailer: CodeMailer,
    private readonly clock: Clock,
  ) {}

  async execute(command: RegisterResident): Promise<{ registrationId: string }> {
    await this.check.verify(command, command.clientIp);
    await this.throttle.takeCodeMail(command.email, command.clientIp);
    const registrationId = randomUUID();
    await this.residents.createRegistration({
      id: registrationId,
      accountNumber: command.accountNumber,
      period: command.period,
      email: command.email,
      phone: command.phone,
      createdAt: this.clock.now(),
    });
    const code = await this.codes.issue('registration', registrationId);
    await this.throttle.sendCodeMail(command.email, () =>
      this.mailer.send(command.email, registrationCodeMail(code)),
    );
    return { registrationId };
  }
}
