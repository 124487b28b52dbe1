import { Injectable } from '@nestjs/common';
import { addMonths, formatPeriod, moscowDate } from '@gw/domain';
import { MeterRepository, ReadingRepository } from '@gw/persistence';
import { ReadingRules } from '@gw/runtime';
import { NotFoundError } from '../backoffice.errors';
import { accountMeterView } from '../meters/account-meter.view';
import { meterReadingView } from '../meters/meter-reading.view';
import { type ReviewItemDetail, ReviewRepository } from '../persistence/review.repository';
import { reviewItemDetailView } from './review-item.view';
import type { ReviewItemDetailDto } from './review.dto';

/** Billing periods of meter history shown next to a review item. */
const HISTORY_PERIODS = 12;

@Injectable()
export class GetReviewItemUseCase {
  constructor(
    private readonly review: ReviewRepository,
    private readonly meters: MeterRepository,
    private readonly readings: ReadingRepository,
    private readonly rules: ReadingRules,
  ) {}

  /** For an open suspected swap, the water meter the value may have been meant for. */
  private async swapCounterpart(item: ReviewItemDetail) {
    if (item.status !== 'needs_review' || !item.reasons.includes('SUSPECTED_SWAP')) return null;
    const serial = await this.rules.swapCounterpart(
      item.accountNumber,
      item.meterSerial,
      item.readAt,
    );
    return serial === null ? null : this.meters.findBySerial(serial);
  }

  /** The item with what an operator needs to judge it: the meter, its recent history, the slip image. */
  async execute(submissionId: string): Promise<ReviewItemDetailDto> {
    const now = new Date();
    const item = await this.review.findItem(submissionId);
    if (!item) throw new NotFoundError(`review item ${submissionId}`);
    const today = moscowDate(now);
    const first = addMonths(today, -(HISTORY_PERIODS - 1));
    const [meter, history, counterpart] = await Promise.all([
      this.meters.findBySerial(item.meterSerial),
      this.readings.listByMeter(item.meterSerial, {
        from: formatPeriod(first.year, first.month),
        to: null,
      }),
      this.swapCounterpart(item),
    ]);
    return {
      ...reviewItemDetailView(item),
      meter: meter && accountMeterView(meter, today),
      history: history.map(meterReadingView),
      swapCounterpart: counterpart && accountMeterView(counterpart, today),
    };
  }
}
