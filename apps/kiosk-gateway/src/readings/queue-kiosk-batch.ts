import type { SubmissionPublisher } from '@gw/messaging';
import { BrokerUnavailableError } from '@gw/platform';
import { type KioskBatchInput, prepareKioskBatch } from './prepare-kiosk-batch';

/**
 * What became of a batch: queued, with its 202 answer (already JSON) and its counts; or refused
 * as a whole. A refusal is a value rather than an error, so that it crosses from a worker thread
 * intact.
 */
export type QueuedKioskBatch =
  | { ok: true; answerJson: string; queued: number; invalid: number }
  | { ok: false; problem: 'bad-batch' | 'broker-unavailable'; error: string };

/**
 * A kiosk batch from its raw body to Kafka's acknowledgement (contract 7.1): prepared, then its
 * well-formed items published. Resolves only once Kafka has every queued item.
 */
export async function queueKioskBatch(
  input: KioskBatchInput,
  publisher: Pick<SubmissionPublisher, 'publishEncoded'>,
  topic: string,
): Promise<QueuedKioskBatch> {
  const prepared = prepareKioskBatch(input);
  if (!prepared.ok) return { ok: false, problem: 'bad-batch', error: prepared.error };
  try {
    await publisher.publishEncoded(prepared.records, topic, input.traceparent);
  } catch (error) {
    if (!(error instanceof BrokerUnavailableError)) throw error;
    return { ok: false, problem: 'broker-unavailable', error: error.reason };
  }
  return {
    ok: true,
    answerJson: prepared.answerJson,
    queued: prepared.records.length,
    invalid: prepared.invalid,
  };
}
