import { type DynamicModule, Module } from '@nestjs/common';
import { ConsumerHealth, KafkaHealthIndicator, MessagingModule } from '@gw/messaging';
import { DatabaseHealthIndicator, PersistenceModule } from '@gw/persistence';
import { ObservabilityModule } from '@gw/platform';
import { ConsumerHealthIndicator } from './consumer-health.indicator';
import { ProcessSubmissionsUseCase } from './process-submissions.use-case';
import { PROCESSOR_ENV, type ProcessorEnv, READING_POLICY, readingPolicy } from './processor.env';
import { SubmissionsConsumer } from './submissions.consumer';

@Module({})
export class ReadingProcessorModule {
  static forRoot(env: ProcessorEnv, health: ConsumerHealth): DynamicModule {
    return {
      module: ReadingProcessorModule,
      imports: [
        PersistenceModule.forRoot(env.DATABASE_URL, 4),
        MessagingModule.forRoot({ brokers: env.KAFKA_BROKERS, clientId: 'reading-processor', sendTimeoutMs: env.KAFKA_SEND_TIMEOUT_MS }),
        ObservabilityModule.forRoot(
          [DatabaseHealthIndicator, KafkaHealthIndicator, ConsumerHealthIndicator],
          [{ provide: ConsumerHealth, useValue: health }, ConsumerHealthIndicator],
        ),
      ],
      controllers: [SubmissionsConsumer],
      providers: [
        { provide: PROCESSOR_ENV, useValue: env },
        { provide: READING_POLICY, useValue: readingPolicy(env) },
        ProcessSubmissionsUseCase,
      ],
    };
  }
}
