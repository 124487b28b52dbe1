import { Injectable } from '@nestjs/common';
import {
  encodeSubmission,
  type SubmissionMessage,
  TOPICS,
  TRACEPARENT_HEADER,
} from '@gw/contracts';
import { currentTraceparent } from '@gw/platform';
import { KafkaPublisher, type OutgoingMessage } from './kafka-publisher';

/**
 * How every edge hands readings over: canonical submissions keyed by account number. Resolves
 * only when Kafka acknowledged all of them; fails with BrokerUnavailableError otherwise.
 * `topic` is the contract's submission topic; only benchmarks point it elsewhere. Each message
 * carries `traceparent`: the HTTP request's span by default, so the processor can tie its
 * decision to the edge's request.
 */
@Injectable()
export class SubmissionPublisher {
  constructor(private readonly publisher: KafkaPublisher) {}

  publish(submissions: SubmissionMessage[], topic: string = TOPICS.submitted): Promise<void> {
    return this.publishEncoded(submissions.map(encodeSubmission), topic);
  }

  /** For submissions encoded elsewhere (the kiosk gateway encodes in worker threads). */
  publishEncoded(
    encoded: OutgoingMessage[],
    topic: string = TOPICS.submitted,
    traceparent: string | undefined = currentTraceparent(),
  ): Promise<void> {
    const messages = traceparent
      ? encoded.map((m) => ({ ...m, headers: { ...m.headers, [TRACEPARENT_HEADER]: traceparent } }))
      : encoded;
    return this.publisher.publish(topic, messages);
  }
}
