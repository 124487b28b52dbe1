import { Injectable } from '@nestjs/common';
import { toMoscowIso } from '@gw/domain';
import { ResidentRepository } from '../persistence/resident.repository';
import type { LinkedAccountsDto } from './account.dto';

/** The accounts a resident has linked, with when each was linked (Moscow time). */
@Injectable()
export class ListLinkedAccountsUseCase {
  constructor(private readonly residents: ResidentRepository) {}

  async execute(residentId: string): Promise<LinkedAccountsDto> {
    const accounts = await this.residents.listAccounts(residentId);
    return { accounts: accounts.map((a) => ({ ...a, linkedAt: toMoscowIso(a.linkedAt) })) };
  }
}
