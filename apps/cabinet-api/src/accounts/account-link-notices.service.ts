import { Injectable } from '@nestjs/common';
import { maskedEmail, toMoscowIso } from '@gw/domain';
import type { Transaction } from '@gw/persistence';
import { type LinkToMake, ResidentRepository } from '../persistence/resident.repository';
import { CabinetError, linkRevoked } from '../cabinet.errors';
import { accountLinkedMail } from '../mail/code-mail.texts';
import { CodeMailer } from '../mail/code-mailer';

/** A link about to be made, by registration or by linking one more account. */
export interface NewLink extends LinkToMake {
  /** The canonical e-mail of the resident making it. */
  email: string;
}

/**
 * Before a resident gets an account that others already have, those others are told by e-mail,
 * with the link's id to revoke it: a stranger who guessed the payment document is then seen. The
 * link is made in the caller's transaction and the mails go out before it commits, so a link
 * nobody could be told about is not made (503, retry), and of requests racing to make one link
 * only the one that made it mails, naming it. A resident whose link to the account was revoked is
 * refused before anyone is mailed, so trying again cannot be used to pester the household.
 */
@Injectable()
export class AccountLinkNotices {
  constructor(
    private readonly residents: ResidentRepository,
    private readonly mailer: CodeMailer,
  ) {}

  /**
   * Makes the link in `tx`, telling the account's other residents when it is new. Returns when the
   * resident's link was made (the first time, for a link they held already).
   */
  async linkAndTell(link: NewLink, tx: Transaction): Promise<Date> {
    const linking = await this.residents.link(link, tx);
    if (linking.status === 'revoked') throw linkRevoked();
    if (linking.status === 'created') await this.announce(link, tx);
    return linking.linkedAt;
  }

  private async announce(link: NewLink, tx: Transaction): Promise<void> {
    // In `tx`: another connection of the pool, asked for while this one is held, might never come.
    const others = (await this.residents.linksOf(link.accountNumber, tx)).filter(
      (l) => l.residentId !== link.residentId,
    );
    const mail = accountLinkedMail({
      accountNumber: link.accountNumber,
      newcomer: maskedEmail(link.email),
      linkedAt: toMoscowIso(link.at).slice(0, 16).replace('T', ' '),
      linkId: link.linkId,
    });
    try {
      for (const other of others) await this.mailer.send(other.email, mail);
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
