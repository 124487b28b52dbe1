import type { INestApplication } from '@nestjs/common';
import { type ClientRequest, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { eventually, testDatabase } from '../support/infra';
import {
  addScanningCentre,
  basic,
  SLIP_HEADER,
  type ScanningCentreLogin,
  slipFile,
  startSlipIngest,
  uniqueBatchId,
} from './slip-harness';
import { slipPng } from './slip-images';

jest.setTimeout(120_000);

const LEASE_SECONDS = 5;
const BOUNDARY = 'slip-boundary';

const imagePart = (ref: string, bytes: Buffer) =>
  Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="image"; filename="${ref}"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    bytes,
    Buffer.from('\r\n'),
  ]);

const filePart = (csv: string) =>
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="b.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}`,
  );

/**
 * An image belongs to the upload that holds its batch: an upload of a batch another upload holds
 * (409 BATCH_BUSY, at once or once it has been taken over) stores none of its images.
 */
describe('slip images of an upload that does not hold its batch', () => {
  let app: INestApplication;
  let db: DataSource;
  let centre: ScanningCentreLogin;
  const open: ClientRequest[] = [];

  const report = (batchId: string) =>
    request(app.getHttpServer())
      .get(`/v1/slips/batches/${batchId}`)
      .set('Authorization', basic(centre));

  /** A multipart upload sent part by part; the answer comes once the body is ended. */
  const sending = (batchId: string) => {
    const { port } = app.getHttpServer().address() as AddressInfo;
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/v1/slips/batches',
      headers: {
        Authorization: basic(centre),
        'X-Batch-Id': batchId,
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
      },
    });
    req.on('error', () => undefined);
    open.push(req);
    const answer = new Promise<{ status: number; body: { error?: string } }>((resolve) =>
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString() || '{}'),
          }),
        );
      }),
    );
    return { req, answer };
  };

  const whole = (batchId: string, images: { ref: string; bytes: Buffer }[]) => {
    const req = request(app.getHttpServer())
      .post('/v1/slips/batches')
      .set('Authorization', basic(centre))
      .set('X-Batch-Id', batchId);
    for (const image of images)
      req.attach('image', image.bytes, {
        filepath: image.ref,
        contentType: 'image/png',
      } as { contentType?: string });
    return req.attach('file', Buffer.from(slipFile([])), {
      filename: 'b.csv',
      contentType: 'text/csv',
    });
  };

  const stored = async (ref: string): Promise<Buffer | undefined> => {
    const [row] = await db.query(
      `SELECT bytes FROM slip_images WHERE centre_id = $1 AND image_ref = $2`,
      [centre.centreId, ref],
    );
    return row?.bytes;
  };

  beforeAll(async () => {
    db = await testDatabase();
    centre = await addScanningCentre();
    app = await startSlipIngest({ SLIP_UPLOAD_LEASE_SECONDS: String(LEASE_SECONDS) });
  });

  afterAll(async () => {
    open.forEach((req) => req.destroy());
    await app?.close();
    await db?.destroy();
  });

  it('a 409 BATCH_BUSY upload leaves the images of the upload under way as they are', async () => {
    const batchId = uniqueBatchId('BUSYIMG');
    const ref = `${batchId}/S-1.png`;
    const onlyRefused = `${batchId}/S-2.png`;
    const original = slipPng(120, 60, 1);
    const first = sending(batchId);
    first.req.write(Buffer.concat([imagePart(ref, original), filePart(`${SLIP_HEADER}\n`)]));
    await eventually(
      async () => (await report(batchId)).body.status,
      (status) => status === 'receiving',
      30_000,
    );
    await eventually(
      () => stored(ref),
      (bytes) => bytes !== undefined,
      30_000,
    );

    const busy = await whole(batchId, [
      { ref, bytes: slipPng(120, 60, 2) },
      { ref: onlyRefused, bytes: slipPng(120, 60, 3) },
    ]).expect(409);
    expect(busy.body).toMatchObject({ error: 'BATCH_BUSY' });
    expect((await stored(ref))?.equals(original)).toBe(true);
    expect(await stored(onlyRefused)).toBeUndefined();

    first.req.end(`\r\n--${BOUNDARY}--\r\n`);
    expect(await first.answer).toMatchObject({ status: 202 });
    expect((await stored(ref))?.equals(original)).toBe(true);
  });

  it('an upload taken over while it was away stores no image after that, and stops with 409', async () => {
    const batchId = uniqueBatchId('LOSTIMG');
    const ref = `${batchId}/S-1.png`;
    const slow = sending(batchId);
    // The image is whole once the next part begins: a plain field, left open.
    slow.req.write(
      Buffer.concat([
        imagePart(`${batchId}/S-0.png`, slipPng(40, 20)),
        Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\n`),
      ]),
    );
    await eventually(
      () => stored(`${batchId}/S-0.png`),
      (bytes) => bytes !== undefined,
      30_000,
    );
    // Silent for longer than the lease: another upload of the batch takes it over.
    await new Promise((resolve) => setTimeout(resolve, (LEASE_SECONDS + 1) * 1000));
    const newer = slipPng(120, 60, 4);
    await whole(batchId, [{ ref, bytes: newer }]).expect(202);

    slow.req.end(
      Buffer.concat([
        Buffer.from('scanned slowly\r\n'),
        imagePart(ref, slipPng(120, 60, 5)),
        filePart(`${SLIP_HEADER}\n`),
        Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
      ]),
    );
    expect(await slow.answer).toMatchObject({ status: 409, body: { error: 'BATCH_BUSY' } });
    expect((await stored(ref))?.equals(newer)).toBe(true);
    expect((await report(batchId)).body).toMatchObject({ status: 'complete' });
  });
});
