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
  databaseTls,
  type HealthIndicator,
  kafkaSecurity,
  ObservabilityModule,
  TracingModule,
  tracingOptions,
} from '@gw/platform';

export interface InfrastructureOptions {
  env: BaseEnv;
  clientId: string;
  /** The app's pool size unless `DATABASE_POOL_SIZE` says otherwise. */
  poolSize: number;
  connection?: ConnectionOptions;
  /** Readiness checks beyond Kafka and PostgreSQL, with their providers. */
  indicators?: Type<HealthIndicator>[];
  providers?: Provider[];
}

/** What every app stands on: PostgreSQL, Kafka, health, metrics and trace export. */
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
        PersistenceModule.forRoot(env.DATABASE_URL, env.DATABASE_POOL_SIZE ?? poolSize, {
          ...connection,
          timeouts: databaseTimeouts(env),
          tls: databaseTls(env),
        }),
        MessagingModule.forRoot({
          brokers: env.KAFKA_BROKERS,
          security: kafkaSecurity(env),
          clientId,
          sendTimeoutMs: env.KAFKA_SEND_TIMEOUT_MS,
          replication: topicReplication(env),
        }),
        TracingModule.forRoot(tracingOptions(env, clientId)),
        ObservabilityModule.forRoot(
          [DatabaseHealthIndicator, KafkaHealthIndicator, TopicReplicationIndicator, ...indicators],
          [DatabaseHealthIndicator, ...providers],
          { delayMs: env.SHUTDOWN_DELAY_MS, timeoutMs: env.SHUTDOWN_TIMEOUT_MS },
        ),
      ],
      // The database's outage check, for the app's HTTP exception filter.
      exports: [PersistenceModule],
    };
  }
}
