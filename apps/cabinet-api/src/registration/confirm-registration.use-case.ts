import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@gw/persistence';
import { randomUUID } from 'node:crypto';
import { SessionTokens } from '../auth/session-tokens.service';
import { AccountLinkNotices } from '../accounts/account-link-notices.service';
import { CabinetEnv } from '../cabinet.env';
import { CabinetError } from '../cabinet.errors';
import { Clock } from '../clock';
import { codeInvalid, OneTimeCodes } from '../codes/one-time-codes.service';
import { OneTimeCodeRepository } from '../persistence/one-time-code.repository';
import { ResidentRepository } from '../persistence/resident.repository';
import { pendingRegistrationsSince } from './pending-registration';

/**
 * Step two: the e-mailed code proves the address. In one transaction the code is used up, the
 * resident is created (or found by e-mail), the account linked, its other residents told before
 * the link commits, and the pending details deleted. Confirmations racing with one code wait for
 * the first: only it links and mails.
 */
@Injectable()
export class ConfirmRegistrationUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly residents: ResidentRepository,
    private readonly codes: OneTimeCodes,
    private readonly codeStore: OneTimeCodeRepository,
    private readonly tokens: SessionTokens,
    private readonly notices: AccountLinkNotices,
    private readonly env: CabinetEnv,
    private readonly clock: Clock,
  ) {}

  async execute(
    registrationId: string,
    code: string,
    clientIp: string,
  ): Promise<{ token: string; expiresAt: Date }> {
    const now = this.clock.now();
    const registration = await this.residents.findRegistration(
      registrationId,
      pendingRegistrationsSince(this.env, now),
    );
    if (!registration)
      throw new CabinetError(
        'REGISTRATION_NOT_FOUND',
        'no such registration waiting for confirmation; register again',
      );
    // The stored id, not the path's: its code was issued for the id in canonical (lower) case.
    const attempt = await this.codes.check('registration', registration.id, code, {
      email: registration.email,
      clientIp,
    });
    const residentId = await this.transactions.run(async (tx) => {
      if (!(await this.codeStore.consume(attempt.id, now, tx))) return null;
      const id = await this.residents.upsertResident(
        { id: randomUUID(), email: registration.email, phone: registration.phone, at: now },
        tx,
      );
      // A revoked link throws: nothing of this registration is kept, the code not used up.
      await this.notices.linkAndTell(
        {
          residentId: id,
          email: registration.email,
          accountNumber: registration.accountNumber,
          period: registration.period,
          at: now,
          linkId: randomUUID(),
        },
        tx,
      );
      await this.residents.deleteRegistration(registration.id, tx);
      return id;
    });
    if (!residentId) throw codeInvalid();
    return this.tokens.issue(residentId);
  }
}
