import { type ClientRequest, request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import request from 'supertest';
import { eventually } from '../support/infra';
import {
  addScanningCentre,
  basic,
  measuredUpload,
  type ScanningCentreLogin,
  SLIP_HEADER,
  type SlipIngestProcess,
  slipFile,
  spawnSlipIngest,
  uniqueBatchId,
} from './slip-harness';

jest.setTimeout(600_000);

const ROWS = 200_000;
const MB = 1024 * 1024;
/** The most a request's body may have at the gateway's ingress (docs/integrators.md). */
const INGRESS_BODY_BYTES = 100 * MB;
/** What one upload may add to the resident memory of slip-ingest, as in slip-volume. */
const RSS_GROWTH_LIMIT = 200 * MB;
const MAX_UPLOADS = 2;

/**
 * The largest file of one slip and meter within the limits: 200,000 rows, each with an image_ref
 * of nearly the 512 characters allowed (an empty qr_payload keeps the rest short), 96 MiB in all.
 */
async function* oneSlipFile(sent: { bytes: number }): AsyncGenerator<string> {
  const give = (text: string) => {
    sent.bytes += Buffer.byteLength(text);
    return text;
  };
  yield give(`${SLIP_HEADER}\n`);
  const lines: string[] = [];
  for (let i = 0; i < ROWS; i += 1) {
    const ref = `2026/11/20/${'x'.repeat(460)}-${String(i).padStart(6, '0')}.png`;
    lines.push(`ONE;;METER-1;T1;1;0.9;${ref}`);
    if (lines.length === 1000) {
      yield give(`${lines.join('\n')}\n`);
      lines.length = 0;
    }
  }
}

/**
 * What an upload within the documented limits costs slip-ingest's memory, measured on the real
 * process (its own, apart from Jest's) with a heap far smaller than a file held whole would take.
 */
describe('slip-ingest memory under uploads within the limits', () => {
  let slip: SlipIngestProcess;
  const open: ClientRequest[] = [];

  beforeAll(async () => {
    slip = await spawnSlipIngest({
      SLIP_MAX_UPLOADS: String(MAX_UPLOADS),
      NODE_OPTIONS: '--max-old-space-size=128',
    });
  });

  afterAll(async () => {
    for (const req of open) req.destroy();
    await slip?.stop();
  });

  it('takes a file of one slip and meter repeated 200,000 times a chunk at a time', async () => {
    const centre = await addScanningCentre();
    const batchId = uniqueBatchId('ONE-SLIP');
    const sent = { bytes: 0 };
    const { status, body, before, peak } = await measuredUpload(
      slip,
      { Authorization: basic(centre), 'X-Batch-Id': batchId, 'Content-Type': 'text/csv' },
      Readable.from(oneSlipFile(sent)),
    );
    process.stderr.write(
      `[slip-memory] one slip and meter x ${ROWS} (${Math.round(sent.bytes / MB)} MB): slip-ingest RSS ` +
        `${Math.round(before / MB)} MB before, peak ${Math.round(peak / MB)} MB (+${Math.round((peak - before) / MB)} MB)\n`,
    );
    expect(sent.bytes).toBeLessThan(INGRESS_BODY_BYTES);
    expect(status).toBe(202);
    expect(JSON.parse(body)).toEqual({ batchId, rows: ROWS, queued: 0, invalid: ROWS });
    expect(peak - before).toBeLessThan(RSS_GROWTH_LIMIT);
    const report = await request(slip.url)
      .get(`/v1/slips/batches/${batchId}?limit=1&after=${ROWS}`)
      .set('Authorization', basic(centre))
      .expect(200);
    expect(report.body).toMatchObject({
      status: 'complete',
      rowsByStatus: { invalid: ROWS },
      items: [{ row: ROWS + 1, error: 'qr_payload: payload is empty' }],
    });
  });

  it(`refuses an upload past SLIP_MAX_UPLOADS (${MAX_UPLOADS}) with 503 and Retry-After, taking nothing`, async () => {
    const centres: ScanningCentreLogin[] = [];
    for (let i = 0; i <= MAX_UPLOADS; i += 1) centres.push(await addScanningCentre());
    const batchIds = centres.map(() => uniqueBatchId('AT-ONCE'));
    const report = (i: number) =>
      request(slip.url)
        .get(`/v1/slips/batches/${batchIds[i]}`)
        .set('Authorization', basic(centres[i]));
    const upload = (i: number) =>
      request(slip.url)
        .post('/v1/slips/batches')
        .set('Authorization', basic(centres[i]))
        .set('X-Batch-Id', batchIds[i])
        .set('Content-Type', 'text/csv')
        .send(slipFile([]));

    // Uploads whose bodies are still arriving, from other scanning centres.
    const answers = centres.slice(0, MAX_UPLOADS).map((centre, i) => {
      const req = httpRequest(`${slip.url}/v1/slips/batches`, {
        method: 'POST',
        headers: {
          Authorization: basic(centre),
          'X-Batch-Id': batchIds[i],
          'Content-Type': 'text/csv',
        },
      });
      req.on('error', () => undefined);
      open.push(req);
      req.write(`${SLIP_HEADER}\n`);
      return new Promise<number>((resolve) =>
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }),
      );
    });
    for (let i = 0; i < MAX_UPLOADS; i += 1)
      await eventually(
        async () => (await report(i)).body.status,
        (status) => status === 'receiving',
        30_000,
      );

    const busy = await upload(MAX_UPLOADS).expect(503);
    expect(busy.headers['retry-after']).toBe('5');
    expect(busy.body).toEqual({
      statusCode: 503,
      error: 'UPLOADS_BUSY',
      message: `this instance is taking ${MAX_UPLOADS} uploads already; send the batch again in a moment`,
    });
    await report(MAX_UPLOADS).expect(404);

    open[0].end();
    expect(await answers[0]).toBe(202);
    await upload(MAX_UPLOADS).expect(202);
    open[1].end();
    expect(await answers[1]).toBe(202);
  });
});
