import { Injectable } from '@nestjs/common';
import { encodeSubmission, type SubmissionMessage, TOPICS } from '@gw/contracts';
import { KafkaPublisher, type OutgoingMessage } from './kafka-publisher';

/**
 * How every edge hands readings over: canonical submissions keyed by account number. Resolves
 * only when Kafka acknowledged all of them; fails with BrokerUnavailableError otherwise.
 * `topic` is the contract's submission topic; only benchmarks point it elsewhere.
 */
@Injectable()
export class SubmissionPublisher {
  constructor(private readonly publisher: KafkaPublisher) {}

  publish(submissions: SubmissionMessage[], topic: string = TOPICS.submitted): Promise<void> {
    return this.publishEncoded(submissions.map(encodeSubmission), topic);
  }

  /** For submissions encoded elsewhere (the kiosk gateway encodes in worker threads). */
  publishEncoded(encoded: OutgoingMessage[], topic: string = TOPICS.submitted): Promise<void> {
    return this.publisher.publish(topic, encoded);
  }
}
