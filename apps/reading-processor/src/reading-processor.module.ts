import { type DynamicModule, Module } from '@nestjs/common';
import { ConsumerHealth, ConsumerHealthIndicator, KafkaPublisher } from '@gw/messaging';
import {
  EstimateRepository,
  PersistenceModule,
  ReadingRepository,
  TransactionRunner,
  VerificationReminderRepository,
} from '@gw/persistence';
import {
  BillingRelay,
  estimatePolicy,
  InfrastructureModule,
  READING_POLICY,
  readingPolicy,
  RunEstimatesUseCase,
  RunRemindersUseCase,
} from '@gw/runtime';
import { BillingJobsScheduler } from './billing-jobs.scheduler';
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
        PersistenceModule.forFeature([
          EstimateRepository,
          ReadingRepository,
          TransactionRunner,
          VerificationReminderRepository,
        ]),
      ],
      controllers: [SubmissionsConsumer],
      providers: [
        { provide: PROCESSOR_ENV, useValue: env },
        { provide: READING_POLICY, useValue: readingPolicy(env) },
        ProcessSubmissionsUseCase,
        BillingJobsScheduler,
        {
          provide: BillingRelay,
          useFactory: (
            reminders: VerificationReminderRepository,
            estimates: EstimateRepository,
            publisher: KafkaPublisher,
          ) => new BillingRelay(reminders, estimates, publisher),
          inject: [VerificationReminderRepository, EstimateRepository, KafkaPublisher],
        },
        {
          provide: RunEstimatesUseCase,
          useFactory: (estimates: EstimateRepository, transactions: TransactionRunner) =>
            new RunEstimatesUseCase(
              estimates,
              transactions,
              readingPolicy(env).window,
              estimatePolicy(env),
            ),
          inject: [EstimateRepository, TransactionRunner],
        },
        {
          provide: RunRemindersUseCase,
          useFactory: (reminders: VerificationReminderRepository) =>
            new RunRemindersUseCase(reminders, env.REMINDER_CATCH_UP_DAYS),
          inject: [VerificationReminderRepository],
        },
      ],
      // The database's outage check, for the HTTP exception filter around this module.
      exports: [InfrastructureModule],
    };
  }
}
