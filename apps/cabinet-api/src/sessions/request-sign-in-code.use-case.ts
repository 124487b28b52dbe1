import { Injectable } from '@nestjs/common';
import { CabinetThrottle } from '../codes/cabinet-throttle.service';
import { OneTimeCodes } from '../codes/one-time-codes.service';
import { noCabinetMail, signInCodeMail } from '../mail/code-mail.texts';
import { CodeMailer } from '../mail/code-mailer';
import { ResidentRepository } from '../persistence/resident.repository';

/**
 * E-mails a sign-in code. The answer is the same whether or not the address has a cabinet; an
 * address without one is told so by e-mail, which only its owner reads, and its code (kept all the
 * same, see OneTimeCodes.signInSubject) is never sent.
 */
@Injectable()
export class RequestSignInCodeUseCase {
  constructor(
    private readonly residents: ResidentRepository,
    private readonly throttle: CabinetThrottle,
    private readonly codes: OneTimeCodes,
    private readonly mailer: CodeMailer,
  ) {}

  async execute(email: string, clientIp: string): Promise<void> {
    await this.throttle.takeCodeMail(email, clientIp);
    const residentId = await this.residents.findIdByEmail(email);
    const code = await this.codes.issue('sign_in', this.codes.signInSubject(email));
    await this.throttle.sendCodeMail(email, () =>
      this.mailer.send(email, residentId ? signInCodeMail(code) : noCabinetMail()),
    );
  }
}
