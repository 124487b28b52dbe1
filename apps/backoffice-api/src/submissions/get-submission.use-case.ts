import { Injectable } from '@nestjs/common';
import { isUuid } from '@gw/contracts';
import { submissionRecord } from '@gw/domain';
import { ReadingRepository } from '@gw/persistence';
import { NotFoundError } from '../backoffice.errors';
import type { SubmissionDto } from './submission.dto';

@Injectable()
export class GetSubmissionUseCase {
  constructor(private readonly readings: ReadingRepository) {}

  /**
   * The recorded submission; not found until the processor has stored it, and never for an id that
   * is not a UUID (the contract's 404 for an id never submitted).
   */
  async execute(submissionId: string): Promise<SubmissionDto> {
    if (!isUuid(submissionId))
      throw new NotFoundError(`submission ${submissionId}`, 'submission ids are UUIDs');
    const found = await this.readings.findSubmission(submissionId);
    if (!found) throw new NotFoundError(`submission ${submissionId}`);
    return submissionRecord(found);
  }
}
