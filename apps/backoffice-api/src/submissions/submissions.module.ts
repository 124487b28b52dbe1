import { Module } from '@nestjs/common';
import { PersistenceModule, ReadingRepository } from '@gw/persistence';
import { GetSubmissionUseCase } from './get-submission.use-case';
import { SubmissionsController } from './submissions.controller';

@Module({
  imports: [PersistenceModule.forFeature([ReadingRepository])],
  controllers: [SubmissionsController],
  providers: [GetSubmissionUseCase],
})
export class SubmissionsModule {}
