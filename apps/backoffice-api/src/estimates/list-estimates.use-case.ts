import { Injectable } from '@nestjs/common';
import {
  estimateCsvHeader,
  estimateCsvLine,
  type EstimateCsvRow,
  type Period,
  toMoscowIso,
} from '@gw/domain';
import { EstimateRepository, estimateMessage, type StoredEstimate } from '@gw/persistence';
import { keysetPage } from '@gw/platform';
import type { EstimateDto, EstimatesPageDto, EstimatesQueryDto } from './estimate.dto';

/** Rows read per query while exporting. */
const EXPORT_CHUNK = 5000;

const csvRow = (e: StoredEstimate): EstimateCsvRow => ({
  ...e,
  decidedAt: toMoscowIso(e.decidedAt),
});

function toDto(e: StoredEstimate): EstimateDto {
  // The message's fields (contract section 10) without its schema, and what only operators see.
  const { schema: _schema, supersedes: _supersedes, ...message } = estimateMessage(e);
  return {
    ...message,
    resource: e.resource,
    published: e.publishedAt !== null,
    supersededBy: e.supersededBy,
  };
}

/** A period's estimates for operators (paged) and for the billing system (the whole CSV file). */
@Injectable()
export class ListEstimatesUseCase {
  constructor(private readonly estimates: EstimateRepository) {}

  /** One page; `nextAfterSerial` only when there is more after it (one row more is read to know). */
  async page(query: EstimatesQueryDto): Promise<EstimatesPageDto> {
    const limit = query.limit ?? 100;
    const rows = await this.estimates.listByPeriod(query.period, {
      afterSerial: query.afterSerial ?? '',
      limit: limit + 1,
    });
    const page = keysetPage(rows, limit, (row) => row.serial);
    return {
      period: query.period,
      estimates: page.rows.map(toDto),
      nextAfterSerial: page.next,
    };
  }

  /** The export, chunk by chunk, so a million estimates never sit in memory at once. */
  async *csv(period: Period): AsyncGenerator<string> {
    yield estimateCsvHeader();
    let afterSerial = '';
    for (;;) {
      const rows = await this.estimates.listByPeriod(period, { afterSerial, limit: EXPORT_CHUNK });
      if (rows.length > 0) yield rows.map((e) => estimateCsvLine(csvRow(e))).join('');
      if (rows.length < EXPORT_CHUNK) return;
      afterSerial = rows[rows.length - 1].serial;
    }
  }
}
