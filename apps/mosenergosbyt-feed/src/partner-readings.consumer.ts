import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@gw/contracts';
import type { InboundBatch } from '@gw/messaging';
import { IngestPartnerReadingsUseCase } from './ingest-partner-readings.use-case';

@Controller()
export class PartnerReadingsConsumer {
  constructor(private readonly ingest: IngestPartnerReadingsUseCase) {}

  @EventPattern(TOPICS.partnerReadings)
  handle(@Payload() batch: InboundBatch): Promise<void> {
    return this.ingest.execute(batch);
  }
}
