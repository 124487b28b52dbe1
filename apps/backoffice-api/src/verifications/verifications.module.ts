import { Module } from '@nestjs/common';
import { RecordVerificationUseCase } from './record-verification.use-case';
import { RevalidateReadingsUseCase } from './revalidate-readings.use-case';
import { VerificationsController } from './verifications.controller';

@Module({
  controllers: [VerificationsController],
  providers: [RecordVerificationUseCase, RevalidateReadingsUseCase],
  exports: [RecordVerificationUseCase, RevalidateReadingsUseCase],
})
export class VerificationsModule {}
