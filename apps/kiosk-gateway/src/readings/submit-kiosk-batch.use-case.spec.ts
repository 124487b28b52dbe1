import 'reflect-metadata';
import type { EncodedSubmission } from '@gw/contracts';
import type { SubmissionPublisher } from '@gw/messaging';
import { BrokerUnavailableError } from '@gw/platform';
import type { KioskEnv } from '../kiosk.env';
import { KioskBatchWorkers } from './kiosk-batch-workers';
import { SubmitKioskBatchUseCase } from './submit-kiosk-batch.use-case';

const reading = (seq: number, accountNumber = '5001234567') => ({
  seq,
  accountNumber,
  meterSerial: `19-12345${seq}`,
  values: [{ zone: 'T1', value: '12' }],
  readAt: '2026-11-20T10:15:00+03:00',
});
const body = (items: unknown[]) => Buffer.from(JSON.stringify({ batchId: '77', items }));

/**
 * The use case with batches queued on the event loop (KIOSK_WORKER_THREADS=0, the same
 * queueKioskBatch a worker thread runs) and a publisher that records what it got, or fails.
 */
function useCase(publish: (records: EncodedSubmission[]) => Promise<void> = async () => {}) {
  const published: { records: EncodedSubmission[]; topic: string }[] = [];
  const publisher = {
    publishEncoded: async (records: EncodedSubmission[], topic: string) => {
      await publish(records);
      published.push({ records, topic });
    },
  } as unknown as SubmissionPublisher;
  const env = { KIOSK_WORKER_THREADS: 0, KIOSK_SUBMISSION_TOPIC: 'readings-topic' } as KioskEnv;
  return {
    run: new SubmitKioskBatchUseCase(new KioskBatchWorkers(env, publisher)),
    published,
  };
}

describe('SubmitKioskBatchUseCase', () => {
  it('publishes the well-formed items to the configured topic and answers with their ids', async () => {
    const { run, published } = useCase();
    const answer = JSON.parse(await run.execute('K-1', body([reading(1), reading(2, '12')])));
    expect(published).toHaveLength(1);
    const [{ records, topic }] = published;
    expect(topic).toBe('readings-topic');
    expect(records.map((r) => r.key)).toEqual(['5001234567']);
    expect(answer.items).toEqual([
      { seq: 1, status: 'queued', submissionId: JSON.parse(records[0].value).submissionId },
      { seq: 2, status: 'invalid', errors: [expect.stringContaining('accountNumber')] },
    ]);
  });

  it('publishes nothing for a batch whose items are all invalid, and still answers each', async () => {
    const { run, published } = useCase();
    const answer = JSON.parse(await run.execute('K-1', body([reading(1, '12')])));
    expect(answer.items).toEqual([{ seq: 1, status: 'invalid', errors: expect.any(Array) }]);
    expect(published.flatMap(({ records }) => records)).toEqual([]);
  });

  it('refuses a bad envelope with a 400 naming the problem, publishing nothing', async () => {
    const { run, published } = useCase();
    const notJson = run.execute('K-1', Buffer.from('{'));
    await expect(notJson).rejects.toMatchObject({ code: 'BATCH_INVALID' });
    await expect(notJson).rejects.toThrow('the body is not valid JSON');
    await expect(run.execute('K-1', body([]))).rejects.toThrow(
      'items must be an array of 1 to 1000 readings',
    );
    expect(published).toEqual([]);
  });

  it('answers a broker that cannot take the batch with BrokerUnavailableError (503), not as queued', async () => {
    const { run } = useCase(async () => {
      throw new BrokerUnavailableError('no acknowledgement within 100 ms');
    });
    await expect(run.execute('K-1', body([reading(1)]))).rejects.toEqual(
      new BrokerUnavailableError('no acknowledgement within 100 ms'),
    );
  });

  it('lets any other publishing failure through as it is', async () => {
    const { run } = useCase(async () => {
      throw new Error('boom');
    });
    await expect(run.execute('K-1', body([reading(1)]))).rejects.toThrow('boom');
  });
});
