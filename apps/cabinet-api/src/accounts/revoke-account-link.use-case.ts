import { Injectable } from '@nestjs/common';
import { isUuid } from '@gw/contracts';
import { linkRevocability } from '@gw/domain';
import { ResidentRepository } from '../persistence/resident.repository';
import { CabinetError } from '../cabinet.errors';
import { Clock } from '../clock';
import { ownLink } from './list-account-links.use-case';

const linkNotFound = () =>
  new CabinetError('LINK_NOT_FOUND', 'no such link to this account; list them again');

/**
 * Revokes a link made after the caller's own (`linkRevocability`) on an account the caller holds:
 * its resident loses the account at once and cannot link it again.
 */
@Injectable()
export class RevokeAccountLinkUseCase {
  constructor(
    private readonly residents: ResidentRepository,
    private readonly clock: Clock,
  ) {}

  async execute(residentId: string, accountNumber: string, linkId: string): Promise<void> {
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
