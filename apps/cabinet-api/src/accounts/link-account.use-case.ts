import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@gw/persistence';
import { randomUUID } from 'node:crypto';
import { linkRevoked } from '../cabinet.errors';
import { Clock } from '../clock';
import { ResidentRepository } from '../persistence/resident.repository';
import {
  type PaymentDocument,
  PaymentDocumentCheck,
} from '../registration/payment-document-check.service';
import { AccountLinkNotices } from './account-link-notices.service';

/**
 * Links one more account to a signed-in resident, proved by a payment document like registration;
 * the account's other residents are told before the link commits. A resident whose link to it was
 * revoked is refused first, whatever the document, and spends none of the account's checks.
 */
@Injectable()
export class LinkAccountUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly check: PaymentDocumentCheck,
    private readonly residents: ResidentRepository,
    private readonly notices: AccountLinkNotices,
    private readonly clock: Clock,
  ) {}

  async execute(
    residentId: string,
    document: PaymentDocument,
    clientIp: string,
  ): Promise<{ accountNumber: string; linkedAt: Date }> {
    if (await this.residents.isRevoked(residentId, document.accountNumber)) throw linkRevoked();
    await this.check.verify(document, clientIp, residentId);
    // The guard has just found this resident in the database, so the address is there.
    const email = (await this.residents.emailOf(residentId)) as string;
    const link = { residentId, email, linkId: randomUUID(), at: this.clock.now(), ...document };
    const linkedAt = await this.transactions.run((tx) => this.notices.linkAndTell(link, tx));
    return { accountNumber: document.accountNumber, linkedAt };
  }
}
