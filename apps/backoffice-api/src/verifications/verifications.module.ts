import { Module } from '@nestjs/common';
import { AuditLogRepository, PersistenceModule, TransactionRunner } from '@gw/persistence';
import { MeterVerificationRepository } from '../persistence/meter-verification.repository';
import { OutcomeOutboxRepository } from '../persistence/outcome-outbox.repository';
import { ReadingRevisionRepository } from '../persistence/reading-revision.repository';
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
      TransactionRunner,
    ]),
  ],
  controllers: [VerificationsController],
  providers: [RecordVerificationUseCase, RevalidateReadingsUseCase],
  exports: [RecordVerificationUseCase, RevalidateReadingsUseCase],
})
export class VerificationsModule {}
