import { Injectable } from '@nestjs/common';
import { submissionRecord } from '@gw/domain';
import { ReadingRepository } from '@gw/persistence';
import { NotFoundError } from '../backoffice.errors';
import type { SubmissionDto } from './submission.dto';

@Injectable()
export class GetSubmissionUseCase {
  constructor(private readonly readings: ReadingRepository) {}

  /** The recorded submission; not found until the processor has stored it. */
  async execute(submissionId: string): Promise<SubmissionDto> {
    const found = await this.readings.findSubmission(submissionId);
    if (!found) throw new NotFoundError(`submission ${submissionId}`);
    return submissionRecord(found);
  }
}
