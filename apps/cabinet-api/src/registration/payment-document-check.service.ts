import { Injectable } from '@nestjs/common';
import { issuedDocumentPeriods, moscowDate } from '@gw/domain';
import { counter } from '@gw/platform';
import { paymentDocumentMismatch } from '../cabinet.errors';
import { Clock } from '../clock';
import { CabinetThrottle } from '../codes/cabinet-throttle.service';
import { ChargeRepository } from '../persistence/charge.repository';

const checks = counter('cabinet_document_checks_total', 'Payment-document checks', ['result']);

/** Details of one of the resident's payment documents (ЕПД), as typed in. */
export interface PaymentDocument {
  accountNumber: string;
  period: string;
  /** Canonical rubles, e.g. "4598.70". */
  amountCharged: string;
}

/**
 * Proves that a resident holds one of the account's last three payment documents. Any mismatch
 * (unknown account, old period, wrong amount) is the same error. Every check is counted per
 * account and per client IP before the comparison, so even concurrent guesses stop at the limit.
 */
@Injectable()
export class PaymentDocumentCheck {
  constructor(
    private readonly charges: ChargeRepository,
    private readonly throttle: CabinetThrottle,
    private readonly clock: Clock,
  ) {}

  /** `residentId`: the signed-in resident linking an account, whose checks are counted too. */
  async verify(document: PaymentDocument, clientIp: string, residentId?: string): Promise<void> {
    await this.throttle.takeDocumentCheck(document.accountNumber, clientIp, residentId);
    const recent = issuedDocumentPeriods(moscowDate(this.clock.now()));
    const matches =
      recent.includes(document.period) &&
      (await this.charges.matches(document.accountNumber, document.period, document.amountCharged));
    checks.inc({ result: matches ? 'match' : 'mismatch' });
    if (!matches) throw paymentDocumentMismatch();
  }
}
