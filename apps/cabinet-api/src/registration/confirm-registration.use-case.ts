import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@gw/persistence';
import { randomUUID } from 'node:crypto';
import { SessionTokens } from '../auth/session-tokens.service';
import { AccountLinkNotices } from '../accounts/account-link-notices.service';
import { CabinetError, linkRevoked } from '../cabinet.errors';
import { Clock } from '../clock';
import { codeInvalid, OneTimeCodes } from '../codes/one-time-codes.service';
import { OneTimeCodeRepository } from '../persistence/one-time-code.repository';
import { ResidentRepository } from '../persistence/resident.repository';

/**
 * Step two: the e-mailed code proves the address. The account's other residents are told, then in
 * one transaction the code is used up, the resident is created (or found by e-mail), the account
 * linked and the pending details deleted.
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
    private readonly clock: Clock,
  ) {}

  async execute(
    registrationId: string,
    code: string,
    clientIp: string,
  ): Promise<{ token: string; expiresAt: Date }> {
    const registration = await this.residents.findRegistration(registrationId);
    if (!registration)
      throw new CabinetError(
        'REGISTRATION_NOT_FOUND',
        'no such registration waiting for confirmation; register again',
      );
    const attempt = await this.codes.check('registration', registrationId, code, {
      email: registration.email,
      clientIp,
    });
    const now = this.clock.now();
    const linkId = randomUUID();
    await this.notices.announce({
      accountNumber: registration.accountNumber,
      email: registration.email,
      linkId,
      at: now,
    });
    const residentId = await this.transactions.run(async (tx) => {
      if (!(await this.codeStore.consume(attempt.id, now, tx))) return null;
      const id = await this.residents.upsertResident(
        { id: randomUUID(), email: registration.email, phone: registration.phone, at: now },
        tx,
      );
      const linked = await this.residents.link(
        {
          residentId: id,
          accountNumber: registration.accountNumber,
          period: registration.period,
          at: now,
          linkId,
        },
        tx,
      );
      // Revoked between the announcement and now: nothing of this registration is kept.
      if (!linked) throw linkRevoked();
      await this.residents.deleteRegistration(registration.id, tx);
      return id;
    });
    if (!residentId) throw codeInvalid();
    return this.tokens.issue(residentId);
  }
}
