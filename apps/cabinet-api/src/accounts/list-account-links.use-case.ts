import { Injectable } from '@nestjs/common';
import { linkRevocability, maskedEmail, toMoscowIso } from '@gw/domain';
import { type AccountLink, ResidentRepository } from '../persistence/resident.repository';
import { CabinetError } from '../cabinet.errors';
import type { AccountLinkDto, AccountLinksDto } from './account.dto';

/**
 * Every resident holding an account the caller holds (they have passed `LinkedAccountGuard`): the
 * caller's own link in full, the others' addresses masked, and which of them the caller may revoke.
 */
@Injectable()
export class ListAccountLinksUseCase {
  constructor(private readonly residents: ResidentRepository) {}

  async execute(residentId: string, accountNumber: string): Promise<AccountLinksDto> {
    const links = await this.residents.linksOf(accountNumber);
    const own = ownLink(links, residentId);
    return { accountNumber, links: links.map((link) => view(own, link)) };
  }
}

/** The resident's own link; missing only when it was revoked since the guard saw it. */
export function ownLink(links: AccountLink[], residentId: string): AccountLink {
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
