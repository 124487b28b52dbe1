import { Injectable } from '@nestjs/common';
import { type SubmissionMessage, TOPICS } from '@gw/contracts';
import {
  parsePartnerMessage,
  type PartnerMapping,
  type PartnerReading,
  toPartnerSubmission,
} from '@gw/domain';
import {
  type DeadLetter,
  deadLetter,
  type InboundBatch,
  type InboundMessage,
  isolateFailures,
  KafkaPublisher,
  storeFailedLetters,
  SubmissionPublisher,
} from '@gw/messaging';
import { isTransientFailure } from '@gw/runtime';
import { feedMetrics } from './feed.metrics';
import {
  asRecorded,
  type ParkedReading,
  PartnerFeedRepository,
} from './persistence/partner-feed.repository';
import { PartnerMapRepository } from './persistence/partner-map.repository';

interface ParsedMessage {
  reading: PartnerReading;
  message: InboundMessage;
}

const pairKey = (ids: { partnerAccount: string; partnerMeter: string }) =>
  JSON.stringify([ids.partnerAccount, ids.partnerMeter]);

/**
 * Handles a batch of partner messages: malformed ones go to the DLQ, readings with a
 * cross-reference row become canonical submissions, the rest are parked in PostgreSQL until
 * their mapping arrives. A mapped reading whose pair still has parked readings is parked behind
 * them: the release then publishes the pair's readings in the order they arrived, and a msgId
 * sent again while parked keeps the values it was first parked with. A msgId is recorded with its
 * meter before it is first published; one published before is published again as it was then
 * (same submissionId and meter), whatever the cross-reference says now, so the processor takes it
 * for the redelivery it is and a re-pointed pair never stores it twice. Nothing waits on the
 * partition, and the transport commits offsets only after all three are durable. When mapping,
 * parking or publishing fails for a reason that is not transient, the batch is split in halves,
 * handled in offset order, until the messages that fail alone are found; those go to the DLQ
 * with STORE_FAILED. Parking and publishing are idempotent (the msgId is the key of both), so
 * parts handled before a failure are safe to handle again.
 */
@Injectable()
export class IngestPartnerReadingsUseCase {
  constructor(
    private readonly maps: PartnerMapRepository,
    private readonly feed: PartnerFeedRepository,
    private readonly submissions: SubmissionPublisher,
    private readonly publisher: KafkaPublisher,
  ) {}

  async execute(batch: InboundBatch): Promise<void> {
    const receivedAt = new Date();
    const valid: ParsedMessage[] = [];
    const malformed: { message: InboundMessage; error: string }[] = [];
    for (const message of batch.messages) {
      const parsed = parsePartnerMessage(message.value);
      if (parsed.ok) valid.push({ reading: parsed.value, message });
      else malformed.push({ message, error: parsed.error });
    }
    await this.deadLetter(
      batch,
      malformed.map(({ message, error }) => ({ message, error: 'MALFORMED', reason: error })),
      'MALFORMED',
    );
    const failed = await isolateFailures(
      valid,
      (group) => this.ingest(batch.partition, group, receivedAt),
      isTransientFailure,
    );
    await this.deadLetter(
      batch,
      storeFailedLetters(failed, (item) => item.message),
      'STORE_FAILED',
    );
  }

  private async ingest(partition: number, group: ParsedMessage[], receivedAt: Date): Promise<void> {
    const recorded = await this.feed.findRecorded(group.map((v) => v.reading.msgId));
    const mappings = new Map<string, PartnerMapping>(
      (await this.maps.findByPartnerIds(group.map((v) => v.reading))).map((m) => [pairKey(m), m]),
    );
    const waiting = new Set(
      (await this.feed.findWaitingPairs([...mappings.values()])).map(pairKey),
    );
    const published: PartnerReading[] = [];
    const fresh: SubmissionMessage[] = [];
    const unmapped: ParkedReading[] = [];
    const behind: ParkedReading[] = [];
    for (const { reading, message } of group) {
      const key = pairKey(reading);
      const mapping = mappings.get(key);
      const known = recorded.has(reading.msgId);
      if (known || (mapping && !waiting.has(key))) {
        // Published before: again as it was then. Otherwise by its mapping now, recorded first.
        if (!known && mapping) fresh.push(toPartnerSubmission(reading, mapping, receivedAt));
        published.push(reading);
        continue;
      }
      const pair = `lsMes "${reading.partnerAccount}" and counterNo "${reading.partnerMeter}"`;
      const parked = { reading, receivedAt, partition, offset: message.offset };
      if (mapping)
        behind.push({ ...parked, reason: `waits behind earlier parked readings of ${pair}` });
      else unmapped.push({ ...parked, reason: `no cross-reference row for ${pair}` });
    }
    const parkedUnmapped = await this.feed.park(unmapped);
    const parkedBehind = await this.feed.park(behind);
    const records = new Map([...recorded, ...(await this.feed.record(fresh))]);
    await this.submissions.publish(published.map((r) => asRecorded(r, records)));
    feedMetrics.mapped.inc({ path: 'direct' }, published.length);
    feedMetrics.unmapped.inc(parkedUnmapped);
    feedMetrics.parked.inc(parkedUnmapped + parkedBehind);
  }

  private async deadLetter(
    batch: InboundBatch,
    letters: DeadLetter[],
    reason: 'MALFORMED' | 'STORE_FAILED',
  ): Promise<void> {
    await deadLetter(this.publisher, TOPICS.partnerReadingsDlq, batch, letters);
    feedMetrics.deadLettered.inc({ reason }, letters.length);
  }
}
