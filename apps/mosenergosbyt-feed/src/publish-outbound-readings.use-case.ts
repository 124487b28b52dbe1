import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  childSpan,
  isUuid,
  type OutcomeMessage,
  parseTraceparent,
  type TraceContext,
  TOPICS,
  TRACEPARENT_HEADER,
  traceHeaders,
} from '@gw/contracts';
import { type OutboundReading, toPartnerMessage } from '@gw/domain';
import {
  failureText,
  headerText,
  type InboundBatch,
  type InboundMessage,
  isolateFailures,
  KafkaPublisher,
} from '@gw/messaging';
import { TransactionRunner } from '@gw/persistence';
import { Tracer } from '@gw/platform';
import { isTransientFailure } from '@gw/runtime';
import { feedMetrics } from './feed.metrics';
import { FEED_ENV, type FeedEnv } from './mosenergosbyt-feed.env';
import { PartnerFeedRepository } from './persistence/partner-feed.repository';

/** Pending readings marked (or unmarked) per statement: an import can map millions at once. */
const MARK_SLICE = 50_000;

/**
 * The submission id of an `accepted` outcome; null for any other outcome. The outcomes topic is
 * the processor's, so a message this feed cannot read is not its to dead-letter: it is skipped.
 */
function acceptedSubmissionId(message: InboundMessage): string | null {
  try {
    const outcome = JSON.parse(message.value?.toString('utf8') ?? '') as Partial<OutcomeMessage>;
    return outcome?.status === 'accepted' &&
      typeof outcome.submissionId === 'string' &&
      isUuid(outcome.submissionId)
      ? outcome.submissionId.toLowerCase()
      : null;
  } catch {
    return null;
  }
}

/**
 * Sends the partner every electricity reading accepted from our other channels, once. Outcomes
 * carry no values, so the readings are looked up by submission id; the processor stores a reading
 * before publishing its outcome. Which readings were sent is recorded in the same transaction that
 * is committed only after Kafka acknowledged them: a redelivered or re-published outcome finds
 * its record and sends nothing. The one window for a repeat is a crash between Kafka's
 * acknowledgement and the commit; the repeat carries the same `msgId`.
 *
 * An outcome whose reading cannot be claimed or sent for a reason that is not transient is found
 * by halving the batch (parts in offset order), logged with its submission id and counted in
 * `mosenergosbyt_outbound_skipped_total`, and the rest go out. It is not dead-lettered: the
 * outcomes topic is the processor's, the contract gives it no DLQ, and the partner DLQ holds
 * partner messages. Nothing was recorded for it, so a later outcome of the same submission (an
 * operator's decision, a redelivery) tries it again.
 *
 * An accepted reading whose meter has no cross-reference row is held as pending: counted in
 * `mosenergosbyt_outbound_unmapped_total`, logged at debug level with its submission id, and sent
 * by `releasePending` once the row arrives. So is one whose meter has an earlier reading still
 * pending, so that the partner gets the meter's readings in the order they were accepted.
 */
@Injectable()
export class PublishOutboundReadingsUseCase {
  private readonly logger = new Logger(PublishOutboundReadingsUseCase.name);
  /** Where the next release check starts looking for changes; null: at everything pending. */
  private releaseCheckedSince: string | null = null;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly feed: PartnerFeedRepository,
    private readonly publisher: KafkaPublisher,
    private readonly tracer: Tracer,
    @Inject(FEED_ENV) private readonly env: FeedEnv,
  ) {}

  async execute(batch: InboundBatch): Promise<void> {
    const accepted = new Map<string, InboundMessage>();
    for (const message of batch.messages) {
      const id = acceptedSubmissionId(message);
      if (id !== null && !accepted.has(id)) accepted.set(id, message);
    }
    const skipped = await isolateFailures(
      [...accepted.keys()],
      (ids) => this.send(ids, accepted),
      isTransientFailure,
    );
    for (const { item, error } of skipped)
      this.logger.error({
        msg: 'accepted reading not sent to the partner; skipped',
        submissionId: item,
        topic: batch.topic,
        partition: batch.partition,
        offset: accepted.get(item)?.offset,
        error: failureText(error),
      });
    feedMetrics.outboundSkipped.inc(skipped.length);
  }

  /**
   * Claims and publishes the readings of these submissions, in the order given, in one
   * transaction; each carries its outcome's trace on, with a span of its own.
   */
  private async send(ids: string[], outcomes: Map<string, InboundMessage>): Promise<void> {
    const startMs = Date.now();
    const spans: { span: TraceContext; parent: TraceContext; submissionId: string }[] = [];
    const { sent, unmapped, held } = await this.transactions.run(async (tx) => {
      const { readings, unmapped, held } = await this.feed.claimOutbound(tx, ids);
      await this.publish(ids, readings, (reading) => {
        const outcome = outcomes.get(reading.submissionId);
        const parent = parseTraceparent(outcome && headerText(outcome.headers, TRACEPARENT_HEADER));
        const span = parent && childSpan(parent);
        if (span) spans.push({ span, parent, submissionId: reading.submissionId });
        return span;
      });
      return { sent: readings.length, unmapped, held };
    });
    feedMetrics.outbound.inc(sent);
    feedMetrics.outboundUnmapped.inc(unmapped.length);
    for (const submissionId of unmapped)
      this.logger.debug({
        msg: 'accepted reading not sent to the partner yet: its meter has no cross-reference row',
        submissionId,
      });
    for (const submissionId of held)
      this.logger.debug({
        msg: 'accepted reading not sent to the partner yet: an earlier reading of its meter is pending',
        submissionId,
      });
    const endMs = Date.now();
    for (const { span, parent, submissionId } of spans)
      this.tracer.record({
        span,
        parentSpanId: parent.spanId,
        name: 'send to partner',
        kind: 'producer',
        startMs,
        endMs,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': TOPICS.partnerOutbound,
          'submission.id': submissionId,
        },
      });
  }

  /**
   * Sends the pending readings whose meter now has a cross-reference row, in chunks of
   * MOSENERGOSBYT_RELEASE_BATCH, longest pending first: unmark what lost its row, mark what
   * became releasable since the last check (the first after a start looks at everything
   * pending), then lock a chunk of the marked, claim and publish its readings, drop them from
   * pending, commit. A reading no longer accepted is dropped unsent; one whose row went away again
   * meanwhile, or behind an earlier reading of its meter that another instance is sending, stays
   * pending. Returns how many readings were sent.
   */
  async releasePending(): Promise<number> {
    const chunk = this.env.MOSENERGOSBYT_RELEASE_BATCH;
    await this.feed.unmarkUnmappedPending(MARK_SLICE);
    const mark = () => this.feed.markMappedPending(this.releaseCheckedSince, MARK_SLICE);
    let marked = await mark();
    while (!marked.done) marked = await mark();
    this.releaseCheckedSince = marked.next;
    let total = 0;
    for (;;) {
      // By key: a chunk reads the marked rows' index in release order, whatever the statistics
      // say of a table an import has just marked a million rows of, and is not JIT-compiled.
      const { locked, sent, done } = await this.transactions.runByKey(async (tx) => {
        const ids = await this.feed.lockMappedPending(tx, chunk);
        const { readings, unmapped, held } = await this.feed.claimOutbound(tx, ids);
        await this.publish(ids, readings, () => null);
        const waiting = new Set([...unmapped, ...held]);
        const finished = ids.filter((id) => !waiting.has(id));
        await this.feed.dropPending(tx, finished);
        return { locked: ids.length, sent: readings.length, done: finished.length };
      });
      total += sent;
      feedMetrics.outbound.inc(sent);
      // A chunk that all stays pending would be locked again at once: it waits for the next run.
      if (locked < chunk || done === 0) return total;
    }
  }

  /** Publishes `readings` in the order of `ids` (outcome order is per-account order), each with its span. */
  private publish(
    ids: string[],
    readings: OutboundReading[],
    spanOf: (reading: OutboundReading) => TraceContext | null,
  ): Promise<void> {
    const order = new Map(ids.map((id, i) => [id, i]));
    readings.sort((a, b) => (order.get(a.submissionId) ?? 0) - (order.get(b.submissionId) ?? 0));
    return this.publisher.publish(
      TOPICS.partnerOutbound,
      readings.map((reading) => {
        const message = toPartnerMessage(reading);
        return {
          key: message.lsMes,
          value: JSON.stringify(message),
          headers: traceHeaders(spanOf(reading)),
        };
      }),
    );
  }
}
