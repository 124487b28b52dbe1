import { Module } from '@nestjs/common';
import {
  AuditLogRepository,
  MeterRepository,
  MeterVerificationRepository,
  OutcomeOutboxRepository,
  PersistenceModule,
  ReadingRevisionRepository,
  TransactionRunner,
} from '@gw/persistence';
import { ArshinClient, arshinSettings, MeterRevalidation, VerificationSync } from '@gw/runtime';
import { BACKOFFICE_ENV, type BackofficeEnv } from '../backoffice.env';
import { ArshinSyncSchedule } from './arshin-sync.schedule';
import { ListVerificationsUseCase } from './list-verifications.use-case';
import { LookupArshinUseCase } from './lookup-arshin.use-case';
import { RecordVerificationUseCase } from './record-verification.use-case';
import { RevalidateReadingsUseCase } from './revalidate-readings.use-case';
import { VerificationsController } from './verifications.controller';

@Module({
  imports: [
    PersistenceModule.forFeature([
      AuditLogRepository,
      MeterRepository,
      MeterVerificationRepository,
      OutcomeOutboxRepository,
      ReadingRevisionRepository,
      TransactionRunner,
    ]),
  ],
  controllers: [VerificationsController],
  providers: [
    // One client per process, so its pace and its circuit hold for every caller.
    {
      provide: ArshinClient,
      useFactory: (env: BackofficeEnv) => new ArshinClient(arshinSettings(env)),
      inject: [BACKOFFICE_ENV],
    },
    {
      provide: VerificationSync,
      useFactory: (
        env: BackofficeEnv,
        ...deps: [
          ArshinClient,
          MeterVerificationRepository,
          MeterRevalidation,
          TransactionRunner,
          AuditLogRepository,
        ]
      ) => new VerificationSync(...deps, env.ARSHIN_RECHECK_DAYS),
      inject: [
        BACKOFFICE_ENV,
        ArshinClient,
        MeterVerificationRepository,
        MeterRevalidation,
        TransactionRunner,
        AuditLogRepository,
      ],
    },
    ArshinSyncSchedule,
    ListVerificationsUseCase,
    LookupArshinUseCase,
    MeterRevalidation,
    RecordVerificationUseCase,
    RevalidateReadingsUseCase,
  ],
  exports: [
    ListVerificationsUseCase,
    LookupArshinUseCase,
    RecordVerificationUseCase,
    RevalidateReadingsUseCase,
  ],
})
export class VerificationsModule {}
