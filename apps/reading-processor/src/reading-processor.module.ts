import { type DynamicModule, Module } from '@nestjs/common';
import { ConsumerHealth, ConsumerHealthIndicator } from '@gw/messaging';
import { PersistenceModule, ReadingRepository, TransactionRunner } from '@gw/persistence';
import { InfrastructureModule, READING_POLICY, readingPolicy } from '@gw/runtime';
import { ProcessSubmissionsUseCase } from './process-submissions.use-case';
import { PROCESSOR_ENV, type ProcessorEnv } from './processor.env';
import { SubmissionsConsumer } from './submissions.consumer';

@Module({})
export class ReadingProcessorModule {
  static forRoot(env: ProcessorEnv, health: ConsumerHealth): DynamicModule {
    return {
      module: ReadingProcessorModule,
      imports: [
        InfrastructureModule.forRoot({
          env,
          clientId: 'reading-processor',
          poolSize: 8,
          indicators: [ConsumerHealthIndicator],
          providers: [{ provide: ConsumerHealth, useValue: health }, ConsumerHealthIndicator],
        }),
        PersistenceModule.forFeature([ReadingRepository, TransactionRunner]),
      ],
      controllers: [SubmissionsConsumer],
      providers: [
        { provide: PROCESSOR_ENV, useValue: env },
        { provide: READING_POLICY, useValue: readingPolicy(env) },
        ProcessSubmissionsUseCase,
      ],
      // The database's outage check, for the HTTP exception filter around this module.
      exports: [InfrastructureModule],
    };
  }
}
