import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@gw/contracts';
import type { InboundBatch } from '@gw/messaging';
import { PublishOutboundReadingsUseCase } from './publish-outbound-readings.use-case';

@Controller()
export class OutcomesConsumer {
  constructor(private readonly outbound: PublishOutboundReadingsUseCase) {}

  @EventPattern(TOPICS.outcomes)
  handle(@Payload() batch: InboundBatch): Promise<void> {
    return this.outbound.execute(batch);
  }
}
