import { Injectable } from '@nestjs/common';
import { BATCH_ID, toMoscowIso } from '@gw/domain';
import { keysetPage } from '@gw/platform';
import {
  SlipBatchRepository,
  type SlipBatchSummary,
  type SlipRowPage,
  type SlipRowView,
} from './persistence/slip-batch.repository';
import { SlipBatchError } from './slip-batch.errors';

export interface SlipBatchReport extends Omit<SlipBatchSummary, 'receivedAt' | 'finishedAt'> {
  receivedAt: string;
  finishedAt: string | null;
  items: SlipRowView[];
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: number | null;
}

/** A batch as its scanning centre sees it: counts, and a page of rows with errors or outcomes. */
@Injectable()
export class GetSlipBatchUseCase {
  constructor(private readonly batches: SlipBatchRepository) {}

  async execute(centreId: string, batchId: string, page: SlipRowPage): Promise<SlipBatchReport> {
    // Another centre's batch is as absent as one never sent.
    const summary = BATCH_ID.test(batchId)
      ? await this.batches.findSummary(centreId, batchId)
      : null;
    if (!summary)
      throw new SlipBatchError('BATCH_NOT_FOUND', 'this scanning centre has sent no such batch');
    const rows = await this.batches.listRows(centreId, batchId, { ...page, limit: page.limit + 1 });
    const items = keysetPage(rows, page.limit, (row) => row.row);
    return {
      ...summary,
      receivedAt: toMoscowIso(summary.receivedAt),
      finishedAt: summary.finishedAt && toMoscowIso(summary.finishedAt),
      items: items.rows,
      nextAfter: items.next,
    };
  }
}
