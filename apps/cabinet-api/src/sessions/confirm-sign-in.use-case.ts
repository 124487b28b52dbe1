import { Injectable } from '@nestjs/common';
import { SessionTokens } from '../auth/session-tokens.service';
import { Clock } from '../clock';
import { codeInvalid, OneTimeCodes } from '../codes/one-time-codes.service';
import { OneTimeCodeRepository } from '../persistence/one-time-code.repository';
import { ResidentRepository } from '../persistence/resident.repository';

/**
 * Exchanges the e-mailed sign-in code for a session token. The code is checked before the address
 * is looked up, so every answer but the token is the same for addresses with and without a cabinet.
 */
@Injectable()
export class ConfirmSignInUseCase {
  constructor(
    private readonly residents: ResidentRepository,
    private readonly codes: OneTimeCodes,
    private readonly codeStore: OneTimeCodeRepository,
    private readonly tokens: SessionTokens,
    private readonly clock: Clock,
  ) {}

  async execute(
    email: string,
    code: string,
    clientIp: string,
  ): Promise<{ token: string; expiresAt: Date }> {
    const attempt = await this.codes.check('sign_in', this.codes.signInSubject(email), code, {
      email,
      clientIp,
    });
    if (!(await this.codeStore.consume(attempt.id, this.clock.now()))) throw codeInvalid();
    const residentId = await this.residents.findIdByEmail(email);
    // Only a lucky guess of an unmailed code, for an address without a cabinet, ends here.
    if (!residentId) throw codeInvalid();
    return this.tokens.issue(residentId);
  }
}
