import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { unpackSubmissions } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { SubmissionPublisher } from '@gw/messaging';
import { counter } from '@gw/platform';
import type { NonceClaim } from '../http/kiosk-http-request';
import { KIOSK_ENV, type KioskEnv } from '../kiosk.env';
import { KioskBatchWorkers } from './kiosk-batch-workers';

/** A batch handed to the publisher: its answer, its counts, and Kafka's acknowledgement to come. */
interface QueuedBatch {
  answerJson: string;
  invalid: number;
  count: number;
  published: Promise<void>;
}

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
    // The batch's publish is announced while it is prepared, so that a Kafka wave about to leave
    // takes it along instead of it waiting for a produce request of its own.
    const release = this.publisher.holdWave();
    let queued: QueuedBatch;
    try {
      queued = await this.queue(kioskId, body, nonceClaim, now);
    } finally {
      release();
    }
    await queued.published;
    items.inc({ status: 'queued' }, queued.count);
    items.inc({ status: 'invalid' }, queued.invalid);
    return queued.answerJson;
  }

  /** Prepares the batch and hands its records to the publisher once the nonce is claimed. */
  private async queue(
    kioskId: string,
    body: Buffer,
    nonceClaim: NonceClaim,
    now: Date,
  ): Promise<QueuedBatch> {
    const preparing = this.workers.prepare({ kioskId, body, receivedAt: toMoscowIso(now) });
    // A refused claim (401, 503) answers first, whatever the preparation comes to.
    await Promise.all([nonceClaim.done, preparing.catch(() => undefined)]);
    const prepared = await preparing;
    if (!prepared.ok) throw new BadRequestException(prepared.error);
    const records = unpackSubmissions(prepared.records);
    const published = this.publisher.publishEncoded(records, this.env.KIOSK_SUBMISSION_TOPIC);
    return {
      answerJson: prepared.answerJson,
      invalid: prepared.invalid,
      count: records.length,
      published,
    };
  }
}
