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
import { type ParkedReading, PartnerFeedRepository } from './persistence/partner-feed.repository';
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
 * their mapping arrives. Nothing waits on the partition, and the transport commits offsets only
 * after all three are durable. When mapping, parking or publishing fails for a reason that is not
 * transient, the batch is split in halves, handled in offset order, until the messages that fail
 * alone are found; those go to the DLQ with STORE_FAILED. Parking and publishing are idempotent
 * (the msgId is the key of both), so parts handled before a failure are safe to handle again.
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
    const mappings = new Map<string, PartnerMapping>(
      (await this.maps.findByPartnerIds(group.map((v) => v.reading))).map((m) => [pairKey(m), m]),
    );
    const mapped: SubmissionMessage[] = [];
    const unmapped: ParkedReading[] = [];
    for (const { reading, message } of group) {
      const mapping = mappings.get(pairKey(reading));
      if (mapping) {
        mapped.push(toPartnerSubmission(reading, mapping, receivedAt));
        continue;
      }
      unmapped.push({
        reading,
        reason: `no cross-reference row for lsMes "${reading.partnerAccount}" and counterNo "${reading.partnerMeter}"`,
        receivedAt,
        partition,
        offset: message.offset,
      });
    }
    const parked = await this.feed.park(unmapped);
    await this.submissions.publish(mapped);
    feedMetrics.mapped.inc({ path: 'direct' }, mapped.length);
    feedMetrics.unmapped.inc(parked);
    feedMetrics.parked.inc(parked);
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
