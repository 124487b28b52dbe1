import { Inject, Injectable } from '@nestjs/common';
import { toPartnerSubmission } from '@gw/domain';
import { SubmissionPublisher } from '@gw/messaging';
import { TransactionRunner } from '@gw/persistence';
import { feedMetrics } from './feed.metrics';
import { FEED_ENV, type FeedEnv } from './mosenergosbyt-feed.env';
import { asRecorded, PartnerFeedRepository } from './persistence/partner-feed.repository';

/**
 * Publishes parked readings whose cross-reference row now exists, in chunks: lock the chunk,
 * publish its submissions, mark it released, commit. A crash before the commit publishes the
 * chunk again later; the submission ids are the same, so the processor stores each reading once.
 * A released reading keeps the time it first reached us as `receivedAt`. Its msgId is recorded
 * with its meter before it is published (committed at once, not with the chunk); one published
 * before (sent again on another pair, say) is released as it was published then, so it is never
 * stored twice.
 */
@Injectable()
export class ReleaseParkedReadingsUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly feed: PartnerFeedRepository,
    private readonly submissions: SubmissionPublisher,
    @Inject(FEED_ENV) private readonly env: FeedEnv,
  ) {}

  /** Releases everything releasable now; returns how many readings were released. */
  async execute(): Promise<number> {
    const chunk = this.env.MOSENERGOSBYT_RELEASE_BATCH;
    let total = 0;
    for (;;) {
      const released = await this.transactions.run(async (tx) => {
        const rows = await this.feed.lockReleasable(tx, chunk);
        // Committed before the publication, not with the chunk: a crash after Kafka took the
        // messages must still leave their msgIds recorded with the meter they went to.
        const records = await this.feed.record(
          rows.map((r) => toPartnerSubmission(r.reading, r, r.receivedAt)),
        );
        const messages = rows.map((r) => asRecorded(r.reading, records));
        await this.submissions.publish(messages);
        await this.feed.markReleased(
          tx,
          rows.map((r, i) => ({ reading: r.reading, submissionId: messages[i].submissionId })),
        );
        return rows.length;
      });
      total += released;
      feedMetrics.mapped.inc({ path: 'released' }, released);
      if (released < chunk) break;
    }
    feedMetrics.parked.set(await this.feed.countParked());
    return total;
  }
}
