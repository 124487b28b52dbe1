import { Injectable } from '@nestjs/common';
import { moscowDate } from '@gw/domain';
import { MeterRepository } from '@gw/persistence';
import { NotFoundError } from '../backoffice.errors';
import { accountMeterView } from './account-meter.view';
import type { AccountMetersDto } from './account-meters.dto';

@Injectable()
export class ListAccountMetersUseCase {
  constructor(private readonly meters: MeterRepository) {}

  /** The account's meters with their verification standing on today's Moscow date. */
  async execute(accountNumber: string): Promise<AccountMetersDto> {
    if (!(await this.meters.accountExists(accountNumber)))
      throw new NotFoundError(`account ${accountNumber}`);
    const today = moscowDate(new Date());
    const meters = await this.meters.listByAccount(accountNumber);
    return { accountNumber, meters: meters.map((meter) => accountMeterView(meter, today)) };
  }
}
