import { Injectable } from '@nestjs/common';
import { toMoscowIso } from '@gw/domain';
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
    // The sending kiosk or terminal stays internal: the contract lists the fields operators get.
    const { sourceId: _sourceId, ...submission } = found;
    return {
      ...submission,
      readAt: toMoscowIso(found.readAt),
      receivedAt: toMoscowIso(found.receivedAt),
    };
  }
}
