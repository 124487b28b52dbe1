import { Injectable } from '@nestjs/common';
import { maskedEmail, toMoscowIso } from '@gw/domain';
import { ResidentRepository } from '../persistence/resident.repository';
import { CabinetError, linkRevoked } from '../cabinet.errors';
import { accountLinkedMail } from '../mail/code-mail.texts';
import { CodeMailer } from '../mail/code-mailer';

/** A link about to be made, by registration or by linking one more account. */
export interface NewLink {
  accountNumber: string;
  /** The canonical e-mail of the resident making it. */
  email: string;
  linkId: string;
  at: Date;
}

/**
 * Before a resident gets an account that others already have, those others are told by e-mail,
 * with the link's id to revoke it: a stranger who guessed the payment document is then seen. The
 * mails go out before the link is made, so a link nobody could be told about is not made (503,
 * retry). A resident whose link to the account was revoked is refused before anyone is mailed,
 * so trying again cannot be used to pester the household.
 */
@Injectable()
export class AccountLinkNotices {
  constructor(
    private readonly residents: ResidentRepository,
    private readonly mailer: CodeMailer,
  ) {}

  async announce(link: NewLink): Promise<void> {
    const links = await this.residents.linksOf(link.accountNumber);
    if (links.some((l) => l.email === link.email)) return;
    if (await this.residents.isRevoked(link.accountNumber, link.email)) throw linkRevoked();
    const mail = accountLinkedMail({
      accountNumber: link.accountNumber,
      newcomer: maskedEmail(link.email),
      linkedAt: toMoscowIso(link.at).slice(0, 16).replace('T', ' '),
      linkId: link.linkId,
    });
    try {
      for (const other of links) await this.mailer.send(other.email, mail);
    } catch (error) {
      if (!(error instanceof CabinetError)) throw error;
      throw new CabinetError(
        'MAIL_UNAVAILABLE',
        "the account's other residents could not be told by e-mail; try again later",
        error.retryAfterSeconds,
      );
    }
  }
}
