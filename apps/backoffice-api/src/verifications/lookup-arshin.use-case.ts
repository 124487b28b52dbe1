import { Injectable } from '@nestjs/common';
import { formatDate, moscowDate } from '@gw/domain';
import { type RevalidationActor, VerificationSync } from '@gw/runtime';
import { NotFoundError } from '../backoffice.errors';
import type { VerificationSyncReportDto } from './verification.dto';

/** An operator asks ФГИС «Аршин» about one meter now, whatever its due date. */
@Injectable()
export class LookupArshinUseCase {
  constructor(private readonly sync: VerificationSync) {}

  async execute(serial: string, operator: RevalidationActor): Promise<VerificationSyncReportDto> {
    const report = await this.sync.run(
      { dueBy: formatDate(moscowDate(new Date())), serial },
      operator,
    );
    if (report === null) throw new NotFoundError(`meter ${serial}`);
    return report;
  }
}
