import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { unpackSubmissions } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { SubmissionPublisher } from '@gw/messaging';
import { counter } from '@gw/platform';
import type { NonceClaim } from '../http/kiosk-http-request';
import { KIOSK_ENV, type KioskEnv } from '../kiosk.env';
import { KioskBatchWorkers } from './kiosk-batch-workers';

const items = counter('kiosk_items_total', 'Kiosk batch items by answer', ['status']);

/**
 * Contract 7.1: a batch with a bad envelope is a 400; otherwise its well-formed items are queued
 * and the others answered as invalid. The batch is prepared while its nonce is being claimed, and
 * nothing is published unless the claim succeeded. Answers only after Kafka acknowledged every
 * queued item; a BrokerUnavailableError (503, the kiosk retries) means nothing may be answered as
 * queued.
 */
@Injectable()
export class SubmitKioskBatchUseCase {
  constructor(
    private readonly workers: KioskBatchWorkers,
    private readonly publisher: SubmissionPublisher,
    @Inject(KIOSK_ENV) private readonly env: KioskEnv,
  ) {}

  /** The 202 answer, a KioskBatchResultDto as JSON. */
  async execute(
    kioskId: string,
    body: Buffer,
    nonceClaim: NonceClaim,
    now = new Date(),
  ): Promise<string> {
    const preparing = this.workers.prepare({ kioskId, body, receivedAt: toMoscowIso(now) });
    // A refused claim (401, 503) answers first, whatever the preparation comes to.
    await Promise.all([nonceClaim.done, preparing.catch(() => undefined)]);
    const prepared = await preparing;
    if (!prepared.ok) throw new BadRequestException(prepared.error);
    const records = unpackSubmissions(prepared.records);
    await this.publisher.publishEncoded(records, this.env.KIOSK_SUBMISSION_TOPIC);
    items.inc({ status: 'queued' }, records.length);
    items.inc({ status: 'invalid' }, prepared.invalid);
    return prepared.answerJson;
  }
}
