import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { HealthIndicator, KafkaSecurity } from '@gw/platform';
import type { Kafka } from 'kafkajs';
import { createKafka, KAFKA } from './kafka-client';
import { KafkaPublisher } from './kafka-publisher';
import { SubmissionPublisher } from './submission-publisher';
import { TOPIC_REPLICATION, TopicReplicationIndicator } from './topic-replication.indicator';
import type { TopicReplication } from './topic-requirements';

@Injectable()
export class KafkaHealthIndicator implements HealthIndicator {
  readonly name = 'kafka';

  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  async check(): Promise<boolean> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      const { brokers } = await admin.describeCluster();
      return brokers.length > 0;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

@Injectable()
class PublisherShutdown implements OnApplicationShutdown {
  constructor(private readonly publisher: KafkaPublisher) {}

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
  }
}

export interface MessagingOptions {
  brokers: string[];
  /** TLS and SASL, as the app's settings describe them (`kafkaSecurity(env)`). */
  security: KafkaSecurity;
  clientId: string;
  sendTimeoutMs: number;
  /** What readiness expects of every gateway topic. */
  replication: TopicReplication;
}

/** The app's Kafka client, its one idempotent publisher and a readiness check. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot({
    brokers,
    security,
    clientId,
    sendTimeoutMs,
    replication,
  }: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: KAFKA, useValue: createKafka(brokers, clientId, security) },
        {
          provide: KafkaPublisher,
          useFactory: (kafka: Kafka) => new KafkaPublisher(kafka, sendTimeoutMs),
          inject: [KAFKA],
        },
        { provide: TOPIC_REPLICATION, useValue: replication },
        KafkaHealthIndicator,
        PublisherShutdown,
        SubmissionPublisher,
        TopicReplicationIndicator,
      ],
      exports: [
        KAFKA,
        KafkaPublisher,
        KafkaHealthIndicator,
        SubmissionPublisher,
        TopicReplicationIndicator,
      ],
    };
  }
}
