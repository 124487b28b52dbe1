import { Injectable } from '@nestjs/common';
import { MeterRevalidation } from '@gw/runtime';
import type { OperatorPrincipal } from '../auth/operator-tokens';
import { ConcurrentChangeError, NotFoundError } from '../backoffice.errors';
import type { RevalidationDto } from './verification.dto';

/** An operator's request to decide again a meter's readings rejected for an expired verification. */
@Injectable()
export class RevalidateReadingsUseCase {
  constructor(private readonly revalidation: MeterRevalidation) {}

  async execute(serial: string, operator: OperatorPrincipal): Promise<RevalidationDto> {
    const result = await this.revalidation.revalidate(serial, operator);
    if (result === 'unknown_meter') throw new NotFoundError(`meter ${serial}`);
    if (result === 'kept_changing')
      throw new ConcurrentChangeError(
        `the readings of meter ${serial} changed during revalidation; retry`,
      );
    return result;
  }
}
