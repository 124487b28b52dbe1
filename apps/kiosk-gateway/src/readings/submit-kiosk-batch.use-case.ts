import { Injectable } from '@nestjs/common';
import { toMoscowIso } from '@gw/domain';
import { BrokerUnavailableError, counter, currentTraceparent } from '@gw/platform';
import { KioskError } from '../kiosk.errors';
import { KioskBatchWorkers } from './kiosk-batch-workers';

const items = counter('kiosk_items_total', 'Kiosk batch items by answer', ['status']);

/**
 * Contract 7.1, for a batch whose nonce is claimed: a bad envelope is a 400; otherwise the
 * well-formed items are queued and the others answered as invalid. Answers only after Kafka
 * acknowledged every queued item; a BrokerUnavailableError (503, the kiosk retries) means nothing
 * may be answered as queued.
 */
@Injectable()
export class SubmitKioskBatchUseCase {
  constructor(private readonly workers: KioskBatchWorkers) {}

  /** The 202 answer, a KioskBatchResultDto as JSON. */
  async execute(kioskId: string, body: Buffer, now = new Date()): Promise<string> {
    const batch = await this.workers.queue({
      kioskId,
      body,
      receivedAt: toMoscowIso(now),
      traceparent: currentTraceparent(),
    });
    if (!batch.ok)
      throw batch.problem === 'bad-batch'
        ? new KioskError('BATCH_INVALID', batch.error)
        : new BrokerUnavailableError(batch.error);
    items.inc({ status: 'queued' }, batch.queued);
    items.inc({ status: 'invalid' }, batch.invalid);
    return batch.answerJson;
  }
}
