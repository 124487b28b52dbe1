import { Injectable, Logger } from '@nestjs/common';
import { type SubmissionMessage, TOPICS } from '@gw/contracts';
import {
  parsePartnerMessage,
  type PartnerMapping,
  type PartnerReading,
  toPartnerSubmission,
} from '@gw/domain';
import {
  type InboundBatch,
  deadLetter,
  type InboundMessage,
  KafkaPublisher,
  SubmissionPublisher,
} from '@gw/messaging';
import { type ParkedReading, PartnerFeedRepository, PartnerMapRepository } from '@gw/persistence';
import { feedMetrics } from './feed.metrics';

const pairKey = (ids: { partnerAccount: string; partnerMeter: string }) =>
  JSON.stringify([ids.partnerAccount, ids.partnerMeter]);

/**
 * Handles a batch of partner messages: malformed ones go to the DLQ, readings with a
 * cross-reference row become canonical submissions, the rest are parked in PostgreSQL until
 * their mapping arrives. Nothing waits on the partition, and the transport commits offsets only
 * after all three are durable.
 */
@Injectable()
export class IngestPartnerReadingsUseCase {
  private readonly logger = new Logger(IngestPartnerReadingsUseCase.name);

  constructor(
    private readonly maps: PartnerMapRepository,
    private readonly feed: PartnerFeedRepository,
    private readonly submissions: SubmissionPublisher,
    private readonly publisher: KafkaPublisher,
  ) {}

  async execute(batch: InboundBatch): Promise<void> {
    const receivedAt = new Date();
    const valid: { reading: PartnerReading; message: InboundMessage }[] = [];
    const malformed: { message: InboundMessage; error: string }[] = [];
    for (const message of batch.messages) {
      const parsed = parsePartnerMessage(message.value?.toString('utf8') ?? '');
      if (parsed.ok) valid.push({ reading: parsed.value, message });
      else malformed.push({ message, error: parsed.error });
    }

    const mappings = new Map<string, PartnerMapping>(
      (await this.maps.findByPartnerIds(valid.map((v) => v.reading))).map((m) => [pairKey(m), m]),
    );
    const mapped: SubmissionMessage[] = [];
    const unmapped: ParkedReading[] = [];
    for (const { reading, message } of valid) {
      const mapping = mappings.get(pairKey(reading));
      if (mapping) {
        mapped.push(toPartnerSubmission(reading, mapping, receivedAt));
        continue;
      }
      unmapped.push({
        reading,
        reason: `no cross-reference row for lsMes "${reading.partnerAccount}" and counterNo "${reading.partnerMeter}"`,
        receivedAt,
        partition: batch.partition,
        offset: message.offset,
      });
    }

    const parked = await this.feed.park(unmapped);
    await this.submissions.publish(mapped);
    await deadLetter(
      this.publisher,
      TOPICS.partnerReadingsDlq,
      batch,
      malformed.map(({ message, error }) => ({ message, reason: error })),
      'MALFORMED',
    );
    feedMetrics.deadLettered.inc(malformed.length);
    feedMetrics.mapped.inc({ path: 'direct' }, mapped.length);
    feedMetrics.unmapped.inc(unmapped.length);
    feedMetrics.parked.inc(parked);
  }
}
