import { Injectable } from '@nestjs/common';
import { moscowDate, verificationStatus } from '@gw/domain';
import { MeterRepository } from '@gw/persistence';
import { NotFoundError } from '../backoffice.errors';
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
    return {
      accountNumber,
      meters: meters.map((meter) => ({
        serial: meter.serial,
        resource: meter.resource,
        zones: meter.zones,
        integerDigits: meter.integerDigits,
        fractionDigits: meter.fractionDigits,
        installedOn: meter.installedOn,
        verifiedOn: meter.verifiedOn,
        verificationDueOn: meter.verificationDueOn,
        verificationStatus: verificationStatus(
          { dueOn: meter.verificationDueOn, decommissionedOn: meter.decommissionedOn },
          today,
        ),
        decommissionedOn: meter.decommissionedOn,
        lastAccepted: meter.lastAccepted,
      })),
    };
  }
}
