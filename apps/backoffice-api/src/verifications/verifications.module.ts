import { Module } from '@nestjs/common';
import {
  AuditLogRepository,
  MeterVerificationRepository,
  OutcomeOutboxRepository,
  PersistenceModule,
  ReadingRevisionRepository,
} from '@gw/persistence';
import { MeterRevalidation } from '@gw/runtime';
import { RecordVerificationUseCase } from './record-verification.use-case';
import { RevalidateReadingsUseCase } from './revalidate-readings.use-case';
import { VerificationsController } from './verifications.controller';

@Module({
  imports: [
    PersistenceModule.forFeature([
      AuditLogRepository,
      MeterVerificationRepository,
      OutcomeOutboxRepository,
      ReadingRevisionRepository,
    ]),
  ],
  controllers: [VerificationsController],
  providers: [MeterRevalidation, RecordVerificationUseCase, RevalidateReadingsUseCase],
  exports: [RecordVerificationUseCase, RevalidateReadingsUseCase],
})
export class VerificationsModule {}
