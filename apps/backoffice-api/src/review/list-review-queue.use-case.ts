import { Injectable } from '@nestjs/common';
import { InvalidRequestError } from '../backoffice.errors';
import { ReviewRepository } from '../persistence/review.repository';
import { reviewItemView } from './review-item.view';
import type { ReviewQueueDto, ReviewQueueQueryDto } from './review.dto';

const HOUR_MS = 3600 * 1000;

@Injectable()
export class ListReviewQueueUseCase {
  constructor(private readonly review: ReviewRepository) {}

  /** Open items matching the filters, oldest first; age counts from when the reading was received. */
  async execute(query: ReviewQueueQueryDto): Promise<ReviewQueueDto> {
    const now = new Date();
    const { minAgeHours, maxAgeHours } = query;
    if (minAgeHours !== undefined && maxAgeHours !== undefined && minAgeHours > maxAgeHours)
      throw new InvalidRequestError('minAgeHours must not exceed maxAgeHours');
    const ago = (hours: number | undefined) =>
      hours === undefined ? null : new Date(now.getTime() - hours * HOUR_MS);
    const { total, items } = await this.review.listOpen({
      channel: query.channel ?? null,
      reason: query.reason ?? null,
      receivedUpTo: ago(minAgeHours),
      receivedFrom: ago(maxAgeHours),
      search: query.q ?? null,
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
    return { status: 'open', total, items: items.map(reviewItemView) };
  }
}
