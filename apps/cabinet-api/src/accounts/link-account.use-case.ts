import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import { ResidentRepository } from '../persistence/resident.repository';
import {
  type PaymentDocument,
  PaymentDocumentCheck,
} from '../registration/payment-document-check.service';

/** Links one more account to a signed-in resident, proved by a payment document like registration. */
@Injectable()
export class LinkAccountUseCase {
  constructor(
    private readonly check: PaymentDocumentCheck,
    private readonly residents: ResidentRepository,
    private readonly clock: Clock,
  ) {}

  async execute(
    residentId: string,
    document: PaymentDocument,
    clientIp: string,
  ): Promise<{ accountNumber: string; linkedAt: Date }> {
    await this.check.verify(document, clientIp, residentId);
    const linkedAt = await this.residents.link({
      residentId,
      accountNumber: document.accountNumber,
      period: document.period,
      at: this.clock.now(),
    });
    return { accountNumber: document.accountNumber, linkedAt };
  }
}
