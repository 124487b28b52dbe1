import { Injectable } from '@nestjs/common';
import { toMoscowIso } from '@gw/domain';
import { MeterRepository, MeterVerificationRepository } from '@gw/persistence';
import { NotFoundError } from '../backoffice.errors';
import type { VerificationHistoryDto } from './verification.dto';

/** A meter's verifications, latest first, with where each came from. */
@Injectable()
export class ListVerificationsUseCase {
  constructor(
    private readonly meters: MeterRepository,
    private readonly verifications: MeterVerificationRepository,
  ) {}

  async execute(serial: string): Promise<VerificationHistoryDto> {
    if (!(await this.meters.findBySerial(serial))) throw new NotFoundError(`meter ${serial}`);
    const history = await this.verifications.history(serial);
    return {
      serial,
      verifications: history.map((v) => ({ ...v, recordedAt: toMoscowIso(v.recordedAt) })),
    };
  }
}
