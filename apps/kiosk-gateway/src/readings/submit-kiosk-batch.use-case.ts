import { Inject, Injectable } from '@nestjs/common';
import { buildSubmission, type SubmissionMessage } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { SubmissionPublisher } from '@gw/messaging';
import { counter } from '@gw/platform';
import { KIOSK_ENV, type KioskEnv } from '../kiosk.env';
import type { KioskBatchDto } from './kiosk-batch.dto';
import type { KioskBatchResultDto, KioskItemResultDto } from './kiosk-batch-result.dto';
import { checkKioskItems } from './kiosk-item.validator';

const items = counter('kiosk_items_total', 'Kiosk batch items by answer', ['status']);

/**
 * Contract 7.1: every well-formed item becomes a canonical submission whose id depends only on
 * (kiosk, batchId, seq, serial), so a retried batch carries the same ids and the processor stores
 * nothing twice. Resolves only after Kafka acknowledged all of them; a BrokerUnavailableError
 * (503, the kiosk retries) means nothing may be answered as queued.
 */
@Injectable()
export class SubmitKioskBatchUseCase {
  constructor(
    private readonly publisher: SubmissionPublisher,
    @Inject(KIOSK_ENV) private readonly env: KioskEnv,
  ) {}

  async execute(
    kioskId: string,
    batch: KioskBatchDto,
    now = new Date(),
  ): Promise<KioskBatchResultDto> {
    const receivedAt = toMoscowIso(now);
    const submissions: SubmissionMessage[] = [];
    const results = checkKioskItems(batch.items).map((item): KioskItemResultDto => {
      if (!item.ok) return { seq: item.seq, status: 'invalid', errors: item.errors };
      const submission = buildSubmission({
        channel: 'kiosk',
        sourceId: kioskId,
        sourceRef: `${batch.batchId}/${item.seq}`,
        accountNumber: item.value.accountNumber,
        meterSerial: item.value.meterSerial,
        values: item.value.values,
        readAt: item.value.readAt,
        receivedAt,
      });
      submissions.push(submission);
      return { seq: item.seq, submissionId: submission.submissionId, status: 'queued' };
    });
    await this.publisher.publish(submissions, this.env.KIOSK_SUBMISSION_TOPIC);
    items.inc({ status: 'queued' }, submissions.length);
    items.inc({ status: 'invalid' }, results.length - submissions.length);
    return { batchId: batch.batchId, items: results };
  }
}
