import { Injectable } from '@nestjs/common';
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
 * the account's other residents are told first.
 */
@Injectable()
export class LinkAccountUseCase {
  constructor(
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
    await this.check.verify(document, clientIp, residentId);
    const link = { residentId, linkId: randomUUID(), at: this.clock.now(), ...document };
    // The guard has just found this resident in the database, so the address is there.
    const email = (await this.residents.emailOf(residentId)) as string;
    await this.notices.announce({ ...link, email });
    const linkedAt = await this.residents.link(link);
    if (!linkedAt) throw linkRevoked();
    return { accountNumber: document.accountNumber, linkedAt };
  }
}
