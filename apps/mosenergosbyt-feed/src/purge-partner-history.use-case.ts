import { Inject, Injectable } from '@nestjs/common';
import { DAY_MS } from '@gw/domain';
import { FEED_ENV, type FeedEnv } from './mosenergosbyt-feed.env';
import { PartnerFeedRepository } from './persistence/partner-feed.repository';

/**
 * Keeps the feed's tables from growing without end: deletes released parked readings, the
 * records of published msgIds and of sent readings, and our readings still pending a mapping
 * older than MOSENERGOSBYT_RETENTION_DAYS. Returns how many of each.
 */
@Injectable()
export class PurgePartnerHistoryUseCase {
  constructor(
    private readonly feed: PartnerFeedRepository,
    @Inject(FEED_ENV) private readonly env: FeedEnv,
  ) {}

  execute(
    now = new Date(),
  ): Promise<{ parked: number; messages: number; outbound: number; pending: number }> {
    return this.feed.purgeBefore(
      new Date(now.getTime() - this.env.MOSENERGOSBYT_RETENTION_DAYS * DAY_MS),
    );
  }
}
