import { buildSubmission, type EncodedSubmission, encodeSubmission } from '@gw/contracts';
import type { KioskBatchResultDto, KioskItemResultDto } from './kiosk-batch-result.dto';
import { checkKioskItems } from './kiosk-item.validator';
import { parseKioskBatch } from './parse-kiosk-batch';

export interface KioskBatchInput {
  kioskId: string;
  /** The raw request body, exactly as signed. */
  body: Uint8Array;
  receivedAt: string;
  /** The request's span, passed on with every submission (the worker has no request context). */
  traceparent?: string;
}

/**
 * The 202 answer (a KioskBatchResultDto, already JSON), the Kafka records of its queued items and
 * how many items the answer calls invalid; or why the whole batch is a 400.
 */
export type PreparedKioskBatch =
  | { ok: true; answerJson: string; invalid: number; records: EncodedSubmission[] }
  | { ok: false; error: string };

/**
 * Everything a kiosk batch needs before Kafka, answer included, as one pure function: the envelope parsed and checked, each item checked on its own, and every
 * well-formed item made a canonical submission whose id depends only on (kiosk, batchId, seq,
 * serial), so a retried batch carries the same ids (contract 7.1).
 */
export function prepareKioskBatch({
  kioskId,
  body,
  receivedAt,
}: KioskBatchInput): PreparedKioskBatch {
  const batch = parseKioskBatch(body);
  if (!batch.ok) return batch;
  const { batchId, items } = batch.value;
  const records: EncodedSubmission[] = [];
  const results = checkKioskItems(items).map((item): KioskItemResultDto => {
    if (!item.ok) return { seq: item.seq, status: 'invalid', errors: item.errors };
    const submission = buildSubmission({
      channel: 'kiosk',
      sourceId: kioskId,
      sourceRef: `${batchId}/${item.seq}`,
      accountNumber: item.value.accountNumber,
      meterSerial: item.value.meterSerial,
      values: item.value.values,
      readAt: item.value.readAt,
      receivedAt,
    });
    records.push(encodeSubmission(submission));
    return { seq: item.seq, submissionId: submission.submissionId, status: 'queued' };
  });
  const answer: KioskBatchResultDto = { batchId, items: results };
  return {
    ok: true,
    answerJson: JSON.stringify(answer),
    invalid: results.length - records.length,
    records,
  };
}
