import { Logger } from '@nestjs/common';
import type { SubmissionMessage } from '@gw/contracts';
import type { SubmissionPublisher } from '@gw/messaging';
import { BrokerUnavailableError } from '@gw/platform';
import { PassThrough, Readable } from 'node:stream';
import { IngestSlipBatchUseCase } from './ingest-slip-batch.use-case';
import type {
  QueuedSlip,
  SlipBatchCounts,
  SlipBatchRepository,
  SlipRowRecord,
} from './persistence/slip-batch.repository';
import type { SaveSlipImageUseCase } from './save-slip-image.use-case';
import { SlipBatchError } from './slip-batch.errors';
import type { SlipImageFetcher } from './slip-image-fetcher';
import type { SlipIngestOptions } from './slip-ingest.env';
import type { SlipUploadOptions } from './slip-upload.stream';

const HEADER = 'slip_id;qr_payload;meter_serial;zone;value;confidence;image_ref';
const QR =
  'ST00012|Name=ТСЖ|PersonalAcc=40702810040000012345|BankName=Банк|BIC=044525225|CorrespAcc=30101810400000000225|PersAcc=5001234567';
const line = (slip: string, serial: string, zone = 'T1', value = '1,5', confidence = '0.97') =>
  [slip, QR, serial, zone, value, confidence, ''].join(';');

/** The batch table as the use case sees it, in memory. */
class Batches {
  rows = new Map<number, SlipRowRecord & { upload: number }>();
  queued: QueuedSlip[] = [];
  finished: { status: string; counts: SlipBatchCounts; error: string | null }[] = [];
  saves: SlipBatchCounts[] = [];
  held = true;
  free = true;

  async begin(): Promise<number | null> {
    return this.free ? 7 : null;
  }

  async underCentreLock<T>(_centre: string, work: (tx: undefined) => Promise<T>): Promise<T> {
    return work(undefined);
  }

  async findQueued(_centre: string, ids: string[]): Promise<QueuedSlip[]> {
    const own = [...this.rows.values()]
      .filter((r) => r.submissionId && ids.includes(r.submissionId))
      .map((r) => ({
        submissionId: r.submissionId as string,
        batchId: 'B-1',
        upload: 7,
        row: r.row,
      }));
    return [...own, ...this.queued.filter((q) => ids.includes(q.submissionId))];
  }

  async saveRows(
    _centre: string,
    _batch: string,
    upload: number,
    rows: SlipRowRecord[],
    counts: SlipBatchCounts,
  ): Promise<boolean> {
    if (!this.held) return false;
    for (const row of rows) this.rows.set(row.row, { ...row, upload });
    this.saves.push(counts);
    return true;
  }

  async finish(
    _centre: string,
    _batch: string,
    _upload: number,
    status: string,
    counts: SlipBatchCounts,
    error: string | null = null,
  ): Promise<boolean> {
    this.finished.push({ status, counts, error });
    return this.held;
  }
}

class Publisher {
  sent: SubmissionMessage[][] = [];
  failAfter = Infinity;

  async publish(submissions: SubmissionMessage[], topic: string): Promise<void> {
    expect(topic).toBe('meter-readings.submitted.v1');
    if (this.sent.length >= this.failAfter) throw new BrokerUnavailableError('no leader');
    this.sent.push(submissions);
  }
}

const OPTIONS: SlipIngestOptions = {
  topic: 'meter-readings.submitted.v1',
  maxRows: 10,
  chunkRows: 2,
  progressEveryRows: 1000,
  maxUploads: 8,
  leaseSeconds: 60,
  maxImageBytes: 1024,
  imageRetentionDays: 30,
  imageStoreUrl: null,
  imageStoreTimeoutMs: 1000,
};

function setup(options: SlipIngestOptions = OPTIONS) {
  const batches = new Batches();
  const publisher = new Publisher();
  const saved: unknown[][] = [];
  const useCase = new IngestSlipBatchUseCase(
    batches as unknown as SlipBatchRepository,
    publisher as unknown as SubmissionPublisher,
    { start: () => undefined } as unknown as SlipImageFetcher,
    { execute: async (...args: unknown[]) => void saved.push(args) } as SaveSlipImageUseCase,
    options,
  );
  /** What the upload was read with: nothing until it is read. */
  const reads: SlipUploadOptions[] = [];
  const ingest = (lines: string[], images: Promise<void> = Promise.resolve()) =>
    useCase.execute({ centreId: 'SC-1', batchId: 'B-1' }, async (options) => {
      reads.push(options);
      return { file: Readable.from([`${[HEADER, ...lines].join('\n')}\n`]), images };
    });
  return { batches, publisher, saved, reads, ingest, useCase };
}

describe('IngestSlipBatchUseCase', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('publishes one submission per slip and meter, a chunk at a time, before recording the rows', async () => {
    const { batches, publisher, ingest } = setup();
    const receipt = await ingest([
      line('S-1', 'E-1', 'T1', '012400,1', '0.99'),
      line('S-1', 'E-1', 'T2', '004600.0', '0.91'),
      line('S-2', 'W-1'),
      line('S-3', 'W-2', 'T1', 'x'),
    ]);
    expect(receipt).toEqual({ batchId: 'B-1', rows: 4, queued: 3, invalid: 1 });
    expect(publisher.sent.map((chunk) => chunk.map((s) => s.source.ref))).toEqual([
      ['S-1/E-1'],
      ['S-2/W-1'],
    ]);
    const [first] = publisher.sent[0];
    expect(first).toMatchObject({
      channel: 'paper-slip',
      source: { id: 'SC-1', ref: 'S-1/E-1' },
      accountNumber: '5001234567',
      meterSerial: 'E-1',
      values: [
        { zone: 'T1', value: '012400.1' },
        { zone: 'T2', value: '004600.0' },
      ],
      confidence: 0.91,
    });
    expect(first.readAt).toBe(first.receivedAt);
    expect(
      [...batches.rows.values()].map((r) => [r.row, r.submissionId !== null, r.error]),
    ).toEqual([
      [2, true, null],
      [3, true, null],
      [4, true, null],
      [5, false, 'value must be a non-negative decimal with at most one "," or "."'],
    ]);
    expect(batches.saves).toEqual([
      { rows: 2, queued: 2, invalid: 0 },
      { rows: 4, queued: 3, invalid: 1 },
    ]);
    expect(batches.finished).toEqual([
      { status: 'complete', counts: { rows: 4, queued: 3, invalid: 1 }, error: null },
    ]);
  });

  it('records a slip queued before (another batch, an earlier upload) without publishing it again', async () => {
    const first = setup();
    await first.ingest([line('S-1', 'W-1')]);
    const id = first.publisher.sent[0][0].submissionId;

    const { batches, publisher, ingest } = setup();
    batches.queued = [{ submissionId: id, batchId: 'B-0', upload: 1, row: 9 }];
    const receipt = await ingest([line('S-1', 'W-1'), line('S-2', 'W-1')]);
    expect(receipt).toMatchObject({ rows: 2, queued: 2, invalid: 0 });
    expect(publisher.sent.flat().map((s) => s.source.ref)).toEqual(['S-2/W-1']);
    expect(batches.rows.get(2)?.submissionId).toBe(id);
  });

  it('reports a slip and meter repeated further down the file, and publishes it once', async () => {
    const { batches, publisher, ingest } = setup();
    const receipt = await ingest([line('S-1', 'W-1'), line('S-2', 'W-1'), line('S-1', 'W-1')]);
    expect(receipt).toMatchObject({ rows: 3, queued: 2, invalid: 1 });
    expect(publisher.sent.flat().map((s) => s.source.ref)).toEqual(['S-1/W-1', 'S-2/W-1']);
    expect(batches.rows.get(4)?.error).toBe(
      'slip S-1, meter W-1 is already in row 2: rows of one slip and meter must be adjacent',
    );
  });

  it('stops when Kafka is unavailable: the batch is interrupted, the failed chunk not recorded', async () => {
    const { batches, publisher, ingest } = setup();
    publisher.failAfter = 1;
    const failure = ingest([line('S-1', 'W-1'), line('S-2', 'W-1'), line('S-3', 'W-1')]);
    await expect(failure).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect([...batches.rows.keys()]).toEqual([2, 3]);
    expect(batches.finished).toEqual([
      {
        status: 'interrupted',
        counts: { rows: 2, queued: 2, invalid: 0 },
        error: 'message broker unavailable: no leader',
      },
    ]);
  });

  it('refuses a batch another upload is holding without reading the upload', async () => {
    const { batches, publisher, reads, ingest } = setup();
    batches.free = false;
    await expect(ingest([line('S-1', 'W-1')])).rejects.toMatchObject({ code: 'BATCH_BUSY' });
    expect(reads).toEqual([]);
    expect(publisher.sent).toEqual([]);
    expect(batches.finished).toEqual([]);
  });

  it('refuses an upload past SLIP_MAX_UPLOADS at once, taking nothing, until one has ended', async () => {
    const { batches, reads, ingest, useCase } = setup({ ...OPTIONS, maxUploads: 2 });
    const files = [new PassThrough(), new PassThrough()];
    const slow = files.map((file, i) =>
      useCase.execute({ centreId: `SC-${i}`, batchId: `B-${i}` }, async () => ({
        file,
        images: Promise.resolve(),
      })),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const busy = ingest([line('S-1', 'W-1')]);
    await expect(busy).rejects.toMatchObject({
      code: 'UPLOADS_BUSY',
      message: 'this instance is taking 2 uploads already; send the batch again in a moment',
    });
    expect(reads).toEqual([]);
    expect(batches.finished).toEqual([]);
    files[0].end(`${HEADER}\n${line('S-1', 'W-1')}\n`);
    await slow[0];
    await expect(ingest([line('S-2', 'W-1')])).resolves.toMatchObject({ rows: 1, queued: 1 });
    files[1].end(`${HEADER}\n`);
    await expect(slow[1]).resolves.toMatchObject({ rows: 0 });
  });

  it('stores the images of an upload under the upload that holds the batch', async () => {
    const { saved, reads, ingest } = setup();
    await ingest([line('S-1', 'W-1')]);
    expect(reads).toEqual([{ maxImageBytes: 1024, onImage: expect.any(Function) }]);
    const image = { imageRef: 'S-1.png', bytes: Buffer.from('png') };
    await reads[0].onImage(image);
    expect(saved).toEqual([['SC-1', image, { batchId: 'B-1', upload: 7 }]]);
  });

  it('stops when a newer upload of the batch took it over', async () => {
    const { batches, ingest } = setup();
    batches.held = false;
    const failure = ingest([line('S-1', 'W-1'), line('S-2', 'W-1'), line('S-3', 'W-1')]);
    await expect(failure).rejects.toMatchObject({
      code: 'BATCH_BUSY',
      message: 'a newer upload of batch B-1 has taken over; this one stopped',
    });
    expect(batches.rows.size).toBe(0);
  });

  it(`refuses row ${OPTIONS.maxRows + 1} with BATCH_TOO_LARGE and says what was handled`, async () => {
    const { batches, ingest } = setup();
    const lines = Array.from({ length: OPTIONS.maxRows + 1 }, (_, i) => line(`S-${i}`, 'W-1'));
    const failure = ingest(lines);
    await expect(failure).rejects.toBeInstanceOf(SlipBatchError);
    await expect(failure).rejects.toMatchObject({
      code: 'BATCH_TOO_LARGE',
      progress: { rows: 8, queued: 8, invalid: 0 },
    });
    expect(batches.finished).toEqual([
      expect.objectContaining({ status: 'failed', counts: { rows: 8, queued: 8, invalid: 0 } }),
    ]);
  });

  it('fails the batch, rows queued, when an image sent after the file is refused', async () => {
    const { batches, publisher, ingest } = setup();
    const refused = new SlipBatchError('SLIP_IMAGE_TYPE_UNSUPPORTED', 'image a.gif is not …');
    const images = Promise.reject(refused);
    images.catch(() => undefined);
    const failure = ingest([line('S-1', 'W-1'), line('S-2', 'W-1')], images);
    await expect(failure).rejects.toMatchObject({
      code: 'SLIP_IMAGE_TYPE_UNSUPPORTED',
      progress: { rows: 2, queued: 2, invalid: 0 },
    });
    expect(publisher.sent.flat()).toHaveLength(2);
    expect(batches.finished).toEqual([
      expect.objectContaining({ status: 'failed', counts: { rows: 2, queued: 2, invalid: 0 } }),
    ]);
  });
});
