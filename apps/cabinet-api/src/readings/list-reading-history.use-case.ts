import { Injectable } from '@nestjs/common';
import type { ReasonCode, WarningCode } from '@gw/contracts';
import {
  formatPeriod,
  listedReading,
  moscowDate,
  REASON_TEXTS_RU,
  RESOURCE_TEXTS_RU,
  STATUS_TEXTS_RU,
  WARNING_TEXTS_RU,
} from '@gw/domain';
import { ReadingRepository } from '@gw/persistence';
import { Clock } from '../clock';
import type { ReadingHistoryDto } from './reading.dto';

/**
 * The account's readings of a billing period from every channel, each with its outcome and the
 * reasons in Russian next to the codes. A reading appears once the processor has decided it.
 */
@Injectable()
export class ListReadingHistoryUseCase {
  constructor(
    private readonly readings: ReadingRepository,
    private readonly clock: Clock,
  ) {}

  async execute(accountNumber: string, period?: string): Promise<ReadingHistoryDto> {
    const today = moscowDate(this.clock.now());
    const wanted = period ?? formatPeriod(today.year, today.month);
    const rows = await this.readings.listByAccountPeriod(accountNumber, wanted);
    return {
      accountNumber,
      period: wanted,
      readings: rows.map((r) => ({
        ...listedReading(r),
        resourceName: r.resource ? RESOURCE_TEXTS_RU[r.resource] : null,
        statusText: STATUS_TEXTS_RU[r.status],
        reasons: r.reasons.map((code) => ({
          code,
          text: REASON_TEXTS_RU[code as ReasonCode] ?? code,
        })),
        warnings: r.warnings.map((code) => ({
          code,
          text: WARNING_TEXTS_RU[code as WarningCode] ?? code,
        })),
      })),
    };
  }
}
