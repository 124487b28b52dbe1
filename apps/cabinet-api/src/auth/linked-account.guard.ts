import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ACCOUNT_NUMBER } from '@gw/domain';
import { CabinetError } from '../cabinet.errors';
import { ResidentRepository } from '../persistence/resident.repository';
import type { ResidentRequest } from './resident-auth.guard';

/**
 * Lets a resident reach `:accountNumber` only when they linked it. Any other account, existing or
 * not, is "not found": the cabinet never shows or accepts anything for another resident's account.
 */
@Injectable()
export class LinkedAccountGuard implements CanActivate {
  constructor(private readonly residents: ResidentRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ResidentRequest>();
    const accountNumber = String(req.params.accountNumber);
    const linked =
      ACCOUNT_NUMBER.test(accountNumber) &&
      (await this.residents.isLinked(req.residentId as string, accountNumber));
    if (!linked) throw new CabinetError('ACCOUNT_NOT_FOUND', 'no such account in this cabinet');
    return true;
  }
}
