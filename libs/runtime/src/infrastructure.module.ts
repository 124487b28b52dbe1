import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import {
  KafkaHealthIndicator,
  MessagingModule,
  topicReplication,
  TopicReplicationIndicator,
} from '@gw/messaging';
import {
  type ConnectionOptions,
  DatabaseHealthIndicator,
  PersistenceModule,
} from '@gw/persistence';
import {
  type BaseEnv,
  databaseTimeouts,
  type HealthIndicator,
  ObservabilityModule,
} from '@gw/platform';

export interface InfrastructureOptions {
  env: BaseEnv;
  clientId: string;
  poolSize: number;
  connection?: ConnectionOptions;
  /** Readiness checks beyond Kafka and PostgreSQL, with their providers. */
  indicators?: Type<HealthIndicator>[];
  providers?: Provider[];
}

/** What every app stands on: PostgreSQL, Kafka, health and metrics. */
@Module({})
export class InfrastructureModule {
  static forRoot({
    env,
    clientId,
    poolSize,
    connection,
    indicators = [],
    providers = [],
  }: InfrastructureOptions): DynamicModule {
    return {
      module: InfrastructureModule,
      imports: [
        PersistenceModule.forRoot(env.DATABASE_URL, poolSize, {
          ...connection,
          timeouts: databaseTimeouts(env),
        }),
        MessagingModule.forRoot({
          brokers: env.KAFKA_BROKERS,
          clientId,
          sendTimeoutMs: env.KAFKA_SEND_TIMEOUT_MS,
          replication: topicReplication(env),
        }),
        ObservabilityModule.forRoot(
          [DatabaseHealthIndicator, KafkaHealthIndicator, TopicReplicationIndicator, ...indicators],
          providers,
          { delayMs: env.SHUTDOWN_DELAY_MS, timeoutMs: env.SHUTDOWN_TIMEOUT_MS },
        ),
      ],
    };
  }
}
