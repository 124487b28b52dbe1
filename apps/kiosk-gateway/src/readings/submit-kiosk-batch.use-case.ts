import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { toMoscowIso } from '@gw/domain';
import { SubmissionPublisher } from '@gw/messaging';
import { counter } from '@gw/platform';
import { KIOSK_ENV, type KioskEnv } from '../kiosk.env';
import type { KioskBatchResultDto } from './kiosk-batch-result.dto';
import { KioskBatchWorkers } from './kiosk-batch-workers';

const items = counter('kiosk_items_total', 'Kiosk batch items by answer', ['status']);

/**
 * Contract 7.1: a batch with a bad envelope is a 400; otherwise its well-formed items are queued
 * and the others answered as invalid. Answers only after Kafka acknowledged every queued item; a
 * BrokerUnavailableError (503, the kiosk retries) means nothing may be answered as queued.
 */
@Injectable()
export class SubmitKioskBatchUseCase {
  constructor(
    private readonly workers: KioskBatchWorkers,
    private readonly publisher: SubmissionPublisher,
    @Inject(KIOSK_ENV) private readonly env: KioskEnv,
  ) {}

  async execute(kioskId: string, body: Buffer, now = new Date()): Promise<KioskBatchResultDto> {
    const prepared = await this.workers.prepare({ kioskId, body, receivedAt: toMoscowIso(now) });
    if (!prepared.ok) throw new BadRequestException(prepared.error);
    const { answer, records } = prepared;
    await this.publisher.publishEncoded(records, this.env.KIOSK_SUBMISSION_TOPIC);
    items.inc({ status: 'queued' }, records.length);
    items.inc({ status: 'invalid' }, answer.items.length - records.length);
    return answer;
  }
}
