import 'reflect-metadata';
import { submissionId, validateSubmission } from '@gw/contracts';
import type { KioskBatchResultDto } from './kiosk-batch-result.dto';
import { prepareKioskBatch } from './prepare-kiosk-batch';

const reading = (seq: number, change: Record<string, unknown> = {}) => ({
  seq,
  accountNumber: '5001234567',
  meterSerial: `19-12345${seq}`,
  values: [{ zone: 'T1', value: '01234,567' }],
  readAt: '2026-11-20T10:15:00+03:00',
  ...change,
});
const RECEIVED_AT = '2026-11-20T10:16:00+03:00';
/** The prepared batch with its answer parsed. */
function prepare(body: unknown, kioskId = 'K-0042') {
  const prepared = prepareKioskBatch({
    kioskId,
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    receivedAt: RECEIVED_AT,
  });
  if (!prepared.ok) return prepared;
  return {
    ...prepared,
    answer: JSON.parse(prepared.answerJson) as KioskBatchResultDto,
  };
}

describe('prepareKioskBatch', () => {
  it('refuses a bad envelope as a whole, naming the problem', () => {
    expect(prepare('{"batchId":')).toEqual({
      ok: false,
      error: expect.stringContaining('the body is not valid JSON'),
    });
    expect(prepare({ batchId: '77', items: [] })).toEqual({
      ok: false,
      error: 'items must be an array of 1 to 1000 readings',
    });
  });

  it('answers every item in order and makes a record of each well-formed one only', () => {
    const prepared = prepare({
      batchId: '77',
      items: [reading(1), reading(2, { accountNumber: '12' }), reading(3)],
    });
    if (!prepared.ok) throw new Error(prepared.error);
    const id = (seq: number) =>
      submissionId({
        channel: 'kiosk',
        sourceId: 'K-0042',
        sourceRef: `77/${seq}`,
        meterSerial: `19-12345${seq}`,
      });
    expect(prepared.answer).toEqual({
      batchId: '77',
      items: [
        { seq: 1, submissionId: id(1), status: 'queued' },
        { seq: 2, status: 'invalid', errors: ['accountNumber must be a string of 10 digits'] },
        { seq: 3, submissionId: id(3), status: 'queued' },
      ],
    });
    expect(prepared.records.map((r) => [r.key, JSON.parse(r.value).submissionId])).toEqual([
      ['5001234567', id(1)],
      ['5001234567', id(3)],
    ]);
    expect(prepared).toMatchObject({ invalid: 1 });
  });

  it('encodes canonical submissions (contract section 2) with a dot decimal and the receipt time', () => {
    const prepared = prepare({ batchId: 'b-1', items: [reading(5)] });
    if (!prepared.ok) throw new Error(prepared.error);
    const decoded = validateSubmission(JSON.parse(prepared.records[0].value));
    expect(decoded).toEqual({
      ok: true,
      value: expect.objectContaining({
        channel: 'kiosk',
        source: { id: 'K-0042', ref: 'b-1/5' },
        accountNumber: '5001234567',
        meterSerial: '19-123455',
        values: [{ zone: 'T1', value: '01234.567' }],
        readAt: '2026-11-20T10:15:00+03:00',
        receivedAt: RECEIVED_AT,
        confidence: null,
      }),
    });
  });

  it('queues a readAt with a lower-case t and z or a long fraction (RFC 3339 allows both) in the canonical form', () => {
    const prepared = prepare({
      batchId: 'b-2',
      items: [
        reading(1, { readAt: '2026-11-20t10:15:00z' }),
        reading(2, { readAt: '2026-11-20T10:15:00.1234567890123+03:00' }),
      ],
    });
    if (!prepared.ok) throw new Error(prepared.error);
    expect(prepared.answer.items.map((i) => i.status)).toEqual(['queued', 'queued']);
    expect(
      prepared.records.map((r) => {
        const decoded = validateSubmission(JSON.parse(r.value));
        return decoded.ok ? decoded.value.readAt : decoded.error;
      }),
    ).toEqual(['2026-11-20T10:15:00Z', '2026-11-20T10:15:00.123456789+03:00']);
  });

  it('gives a retried batch the same ids, and another kiosk other ids', () => {
    const body = { batchId: '77', items: [reading(1), reading(2)] };
    const ids = (kioskId: string) => {
      const prepared = prepare(body, kioskId);
      return prepared.ok ? prepared.answer.items.map((i) => i.submissionId) : [];
    };
    expect(ids('K-1')).toEqual(ids('K-1'));
    expect(ids('K-1')).not.toEqual(ids('K-2'));
  });

  it('queues nothing when every item is invalid, and still answers each', () => {
    const prepared = prepare({ batchId: '77', items: [reading(1), reading(1)] });
    expect(prepared).toMatchObject({
      ok: true,
      invalid: 2,
      records: [],
      answer: { items: [{ status: 'invalid' }, { status: 'invalid' }] },
    });
  });
});
