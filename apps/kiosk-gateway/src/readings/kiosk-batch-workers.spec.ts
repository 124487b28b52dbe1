import 'reflect-metadata';
import type { KioskEnv } from '../kiosk.env';
import { KioskBatchWorkers } from './kiosk-batch-workers';

const reading = (seq: number) => ({
  seq,
  accountNumber: '5001234567',
  meterSerial: `19-${String(seq).padStart(6, '0')}`,
  values: [{ zone: 'T1', value: '01234,567' }],
  readAt: '2026-11-20T10:15:00+03:00',
});
const batch = (items: number) =>
  JSON.stringify({ batchId: '77', items: Array.from({ length: items }, (_, i) => reading(i + 1)) });
const prepare = (workers: KioskBatchWorkers, body: Buffer) =>
  workers.prepare({ kioskId: 'K-0042', body, receivedAt: '2026-11-20T10:16:00+03:00' });

describe('KioskBatchWorkers', () => {
  let workers: KioskBatchWorkers;

  beforeAll(() => {
    workers = new KioskBatchWorkers({ KIOSK_WORKER_THREADS: 1 } as KioskEnv);
  });

  afterAll(() => workers.onModuleDestroy());

  it('moves a body with an ArrayBuffer of its own to the worker instead of copying it', async () => {
    const text = batch(50);
    const body = Buffer.concat([Buffer.from(text)]);
    expect(body.buffer.byteLength).toBe(text.length);
    const prepared = await prepare(workers, body);
    expect(prepared).toMatchObject({ ok: true, invalid: 0 });
    expect(body.byteLength).toBe(0);
  });

  it("copies a body that lives in Buffer's shared pool, leaving the pool whole", async () => {
    const body = Buffer.from(batch(1));
    const neighbour = Buffer.from('the next buffer of the pool');
    expect(body.buffer).toBe(neighbour.buffer);
    const prepared = await prepare(workers, body);
    expect(prepared).toMatchObject({ ok: true, invalid: 0 });
    expect(body.toString()).toBe(batch(1));
    expect(neighbour.toString()).toBe('the next buffer of the pool');
  });
});
