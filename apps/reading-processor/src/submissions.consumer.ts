import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@gw/contracts';
import type { InboundBatch } from '@gw/messaging';
import { ProcessSubmissionsUseCase } from './process-submissions.use-case';

@Controller()
export class SubmissionsConsumer {
  constructor(private readonly processSubmissions: ProcessSubmissionsUseCase) {}

  @EventPattern(TOPICS.submitted)
  handle(@Payload() batch: InboundBatch): Promise<void> {
    return this.processSubmissions.execute(batch);
  }
}
