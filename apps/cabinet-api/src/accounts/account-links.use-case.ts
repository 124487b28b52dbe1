import { Injectable } from '@nestjs/common';
import { isUuid } from '@gw/contracts';
import { linkRevocability, maskedEmail, toMoscowIso } from '@gw/domain';
import { type AccountLink, ResidentRepository } from '@gw/persistence';
import { CabinetError } from '../cabinet.errors';
import { Clock } from '../clock';
import type { AccountLinkDto, AccountLinksDto } from './account.dto';

const linkNotFound = () =>
  new CabinetError('LINK_NOT_FOUND', 'no such link to this account; list them again');

/**
 * Who else holds an account a resident holds, and revoking a link made after the resident's own
 * (the rule is `linkRevocability`). Callers have passed `LinkedAccountGuard`.
 */
@Injectable()
export class AccountLinksUseCase {
  constructor(
    private readonly residents: ResidentRepository,
    private readonly clock: Clock,
  ) {}

  async list(residentId: string, accountNumber: string): Promise<AccountLinksDto> {
    const links = await this.residents.linksOf(accountNumber);
    const own = ownLink(links, residentId);
    return { accountNumber, links: links.map((link) => view(own, link)) };
  }

  async revoke(residentId: string, accountNumber: string, linkId: string): Promise<void> {
    const links = await this.residents.linksOf(accountNumber);
    const target = isUuid(linkId) ? links.find((l) => l.linkId === linkId.toLowerCase()) : null;
    if (!target) throw linkNotFound();
    const rule = linkRevocability(ownLink(links, residentId), target);
    if (rule !== 'revocable')
      throw new CabinetError(
        'LINK_NOT_REVOCABLE',
        rule === 'own_link'
          ? 'this is your own link'
          : 'only a link made after yours can be revoked',
      );
    if (!(await this.residents.revokeLink(target.linkId, residentId, this.clock.now())))
      throw linkNotFound();
  }
}

/** The resident's own link; gone only when it was revoked since the guard saw it. */
function ownLink(links: AccountLink[], residentId: string): AccountLink {
  const own = links.find((l) => l.residentId === residentId);
  if (!own) throw new CabinetError('ACCOUNT_NOT_FOUND', 'no such account in this cabinet');
  return own;
}

function view(own: AccountLink, link: AccountLink): AccountLinkDto {
  const rule = linkRevocability(own, link);
  return {
    linkId: link.linkId,
    email: rule === 'own_link' ? link.email : maskedEmail(link.email),
    linkedAt: toMoscowIso(link.linkedAt),
    yours: rule === 'own_link',
    revocable: rule === 'revocable',
  };
}
