import { Injectable } from '@nestjs/common';
import { submissionRecord } from '@gw/domain';
import { ReadingRepository } from '@gw/persistence';
import type { KioskSubmissionDto } from './kiosk-submission.dto';

/**
 * A submission's current status for the kiosk's receipt. Null until the processor recorded it,
 * and for anything another kiosk or channel submitted: a kiosk cannot tell those apart.
 */
@Injectable()
export class FindKioskSubmissionUseCase {
  constructor(private readonly readings: ReadingRepository) {}

  async execute(kioskId: string, submissionId: string): Promise<KioskSubmissionDto | null> {
    const found = await this.readings.findSubmission(submissionId);
    if (!found || found.channel !== 'kiosk' || found.sourceId !== kioskId) return null;
    // The trace id is for operators: the receipt shows contract 6's fields only.
    const { traceId: _traceId, ...receipt } = submissionRecord(found);
    return receipt;
  }
}
