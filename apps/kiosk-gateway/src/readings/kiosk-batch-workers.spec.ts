import 'reflect-metadata';
import type { SubmissionPublisher } from '@gw/messaging';
import type { KioskEnv } from '../kiosk.env';
import { KioskBatchWorkers } from './kiosk-batch-workers';

const reading = (seq: number) => ({
  seq,
  accountNumber: '5001234567',
  meterSerial: `19-${String(seq).padStart(6, '0')}`,
  values: [{ zone: 'T1', value: '01234,567' }],
  readAt: '2026-11-20T10:15:00+03:00',
});
/** A batch that the worker refuses as a whole (over 1000 items), so that no broker is needed. */
const TOO_MANY = JSON.stringify({
  batchId: '77',
  items: Array.from({ length: 1001 }, (_, i) => reading(i + 1)),
});
const queue = (workers: KioskBatchWorkers, body: Buffer) =>
  workers.queue({ kioskId: 'K-0042', body, receivedAt: '2026-11-20T10:16:00+03:00' });
const REFUSED = {
  ok: false,
  problem: 'bad-batch',
  error: 'items must be an array of 1 to 1000 readings',
};

describe('KioskBatchWorkers', () => {
  let workers: KioskBatchWorkers;

  beforeAll(() => {
    const env = {
      KIOSK_WORKER_THREADS: 1,
      KAFKA_BROKERS: ['127.0.0.1:1'],
      KAFKA_SEND_TIMEOUT_MS: 1000,
      KIOSK_SUBMISSION_TOPIC: 'unused',
      LOG_LEVEL: 'error',
    } as KioskEnv;
    workers = new KioskBatchWorkers(env, {} as SubmissionPublisher);
  });

  afterAll(() => workers.onApplicationShutdown());

  it('moves a body with an ArrayBuffer of its own to the worker instead of copying it', async () => {
    const body = Buffer.concat([Buffer.from(TOO_MANY)]);
    expect(body.buffer.byteLength).toBe(TOO_MANY.length);
    await expect(queue(workers, body)).resolves.toEqual(REFUSED);
    expect(body.byteLength).toBe(0);
  });

  it("copies a body that lives in Buffer's shared pool, leaving the pool whole", async () => {
    const text = JSON.stringify({ batchId: '77', items: [] });
    const body = Buffer.from(text);
    const neighbour = Buffer.from('the next buffer of the pool');
    expect(body.buffer).toBe(neighbour.buffer);
    await expect(queue(workers, body)).resolves.toEqual(REFUSED);
    expect(body.toString()).toBe(text);
    expect(neighbour.toString()).toBe('the next buffer of the pool');
  });
});
