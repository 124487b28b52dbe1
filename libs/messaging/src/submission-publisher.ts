import { Injectable } from '@nestjs/common';
import { type SubmissionMessage, TOPICS } from '@gw/contracts';
import { KafkaPublisher } from './kafka-publisher';

/**
 * How every edge hands readings over: canonical submissions keyed by account number. Resolves
 * only when Kafka acknowledged all of them; fails with BrokerUnavailableError otherwise.
 */
@Injectable()
export class SubmissionPublisher {
  constructor(private readonly publisher: KafkaPublisher) {}

  /** `topic` is the contract's submission topic; only benchmarks point it elsewhere. */
  publish(submissions: SubmissionMessage[], topic: string = TOPICS.submitted): Promise<void> {
    return this.publisher.publish(
      topic,
      submissions.map((s) => ({ key: s.accountNumber, value: JSON.stringify(s) })),
    );
  }
}
