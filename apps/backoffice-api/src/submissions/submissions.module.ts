import { Module } from '@nestjs/common';
import { GetSubmissionUseCase } from './get-submission.use-case';
import { SubmissionsController } from './submissions.controller';

@Module({
  controllers: [SubmissionsController],
  providers: [GetSubmissionUseCase],
})
export class SubmissionsModule {}
