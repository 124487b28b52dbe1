import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@gw/platform';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { SlipImagePurgeJob } from '../../apps/slip-ingest/src/slip-image-purge.job';
import { SlipIngestEnv } from '../../apps/slip-ingest/src/slip-ingest.env';
import { sessionCookieName } from '../../apps/backoffice-api/src/web/web-session';
import { bearer, ReviewStack } from '../backoffice/review-harness';
import { registryRecord, seedMeters, uniqueAccount } from '../support/factories';
import { eventually } from '../support/infra';
import {
  addScanningCentre,
  basic,
  dayFromToday,
  type ScanningCentreLogin,
  slipFile,
  slipQr,
  startSlipIngest,
  uniqueBatchId,
} from './slip-harness';
import { jpegLike, slipPng } from './slip-images';

jest.setTimeout(300_000);

const MAX_IMAGE_BYTES = 4096;
const RETENTION_DAYS = 30;

interface ImagePart {
  ref: string;
  bytes: Buffer;
  type?: string;
}

/**
 * slip-ingest, the processor and the back office on the real broker and database: images sent
 * with a batch reach the review item of their slip, and nothing else.
 */
describe('scanned slip images from the batch to the review item', () => {
  let stack: ReviewStack;
  let ingest: INestApplication;
  let centre: ScanningCentreLogin;
  let operator: { cookie: string; token: string };

  /** A multipart upload: images before the file, the file, then images after it. */
  const upload = (
    batchId: string,
    csv: string,
    before: ImagePart[],
    after: ImagePart[] = [],
    app = ingest,
  ) => {
    const req = request(app.getHttpServer())
      .post('/v1/slips/batches')
      .set('Authorization', basic(centre))
      .set('X-Batch-Id', batchId);
    // form-data keeps a path in the file name only when it is given as `filepath`, which
    // superagent's types leave out.
    const attach = (image: ImagePart) =>
      req.attach('image', image.bytes, {
        filepath: image.ref,
        contentType: image.type ?? 'image/png',
      } as { contentType?: string });
    before.forEach(attach);
    req.attach('file', Buffer.from(csv), { filename: 'batch.csv', contentType: 'text/csv' });
    after.forEach(attach);
    return req;
  };

  /** A doubtful reading (low recognition confidence) on a meter of its own, for the review queue. */
  async function doubtfulSlips(batchId: string, images: string[]): Promise<string[]> {
    const meters = await seedMeters(
      stack.db,
      images.map(() => registryRecord({ initial_on: dayFromToday(-30) })),
    );
    return meters.map((m, i) =>
      slipFile([
        {
          slip: `${batchId}-${i}`,
          qr: slipQr(m.accountNumber),
          serial: m.serial,
          value: '00105,5',
          confidence: '0.62',
          image: images[i],
        },
      ])
        .split('\n')
        .slice(i === 0 ? 0 : 1)
        .join('\n'),
    );
  }

  /** The submission of each row, once the processor has put it in review. */
  async function inReview(batchId: string, rows: number): Promise<string[]> {
    const res = await request(ingest.getHttpServer())
      .get(`/v1/slips/batches/${batchId}`)
      .set('Authorization', basic(centre))
      .expect(200);
    const ids = (res.body.items as { submissionId: string }[]).map((r) => r.submissionId);
    expect(ids).toHaveLength(rows);
    const statuses = await stack.decided(ids);
    expect([...statuses.values()]).toEqual(ids.map(() => 'needs_review'));
    return ids;
  }

  beforeAll(async () => {
    stack = await ReviewStack.start();
    ingest = await startSlipIngest({
      SLIP_IMAGE_MAX_BYTES: String(MAX_IMAGE_BYTES),
      SLIP_IMAGE_RETENTION_DAYS: String(RETENTION_DAYS),
    });
    centre = await addScanningCentre();
    const { cookie } = await stack.webSession('operator');
    operator = { cookie, token: (await stack.operator('operator')).token };
  });

  afterAll(async () => {
    await ingest?.close();
    await stack?.stop();
  });

  it('shows each slip beside its reading and serves its bytes to operators only', async () => {
    const batchId = uniqueBatchId('IMG');
    const png = slipPng(120, 60, 1);
    const jpeg = jpegLike(600);
    const refs = [`2026/12/05/${batchId}-0.png`, `2026/12/05/${batchId}-1.jpg`, ''];
    const csv = (await doubtfulSlips(batchId, refs)).join('\n');
    const res = await upload(
      batchId,
      csv,
      [{ ref: refs[0], bytes: png }],
      [{ ref: refs[1], bytes: jpeg, type: 'application/octet-stream' }],
    ).expect(202);
    expect(res.body).toEqual({ batchId, rows: 3, queued: 3, invalid: 0 });
    const [withPng, withJpeg, without] = await inReview(batchId, 3);

    const page = await stack
      .http()
      .get(`/review/${withPng}`)
      .set('Cookie', operator.cookie)
      .expect(200);
    expect(page.text).toContain(
      `<figure class="slip" id="slip-image"><a href="/review/${withPng}/slip-image"><img src="/review/${withPng}/slip-image" alt="Скан квитанции ${refs[0]}">`,
    );
    expect(page.headers['content-security-policy']).toContain("img-src 'self'");

    const image = await stack
      .http()
      .get(`/review/${withPng}/slip-image`)
      .set('Cookie', operator.cookie)
      .buffer(true)
      .parse((r, done) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => done(null, Buffer.concat(parts)));
      })
      .expect(200);
    expect(Buffer.compare(image.body as Buffer, png)).toBe(0);
    expect(image.headers).toMatchObject({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=600',
      'content-security-policy': "default-src 'none'; sandbox",
    });
    // Revalidation: the browser's copy is still good.
    await stack
      .http()
      .get(`/review/${withPng}/slip-image`)
      .set('Cookie', operator.cookie)
      .set('If-None-Match', image.headers.etag)
      .expect(304);

    // Typed by its content, not by the part's declared type.
    const api = await stack
      .http()
      .get(`/v1/review/${withJpeg}/slip-image`)
      .set(bearer(operator.token))
      .expect(200);
    expect(api.headers['content-type']).toBe('image/jpeg');
    expect(Number(api.headers['content-length'])).toBe(jpeg.length);

    const item = await stack.http().get(`/v1/review/${without}`).set(bearer(operator.token));
    expect(item.body).toMatchObject({ imageRef: null, hasImage: false });
    const bare = await stack.http().get(`/review/${without}`).set('Cookie', operator.cookie);
    expect(bare.text).not.toContain('slip-image');
    await stack
      .http()
      .get(`/v1/review/${without}/slip-image`)
      .set(bearer(operator.token))
      .expect(404);

    // Nobody else: no session, a forged session, the cookie on the API, a token on the UI.
    const web = `/review/${withPng}/slip-image`;
    const none = await stack.http().get(web).expect(401);
    expect(none.headers.location).toBeUndefined();
    await stack
      .http()
      .get(web)
      .set('Cookie', `${sessionCookieName(false)}=forged`)
      .expect(401);
    await stack.http().get(web).set(bearer(operator.token)).expect(401);
    await stack
      .http()
      .get(`/v1/review/${withPng}/slip-image`)
      .set('Cookie', operator.cookie)
      .expect(401);
    await stack.http().get(`/v1/review/${withPng}/slip-image`).expect(401);
  });

  it('takes many images on both sides of the file, a few at a time', async () => {
    const batchId = uniqueBatchId('MANY');
    const refs = Array.from({ length: 10 }, (_, i) => `${batchId}/${i}.png`);
    const csv = (await doubtfulSlips(batchId, refs)).join('\n');
    const parts = refs.map((ref, i) => ({ ref, bytes: slipPng(200, 80, i) }));
    await upload(batchId, csv, parts.slice(0, 7), parts.slice(7)).expect(202);
    const stored: { image_ref: string; bytes: Buffer }[] = await stack.db.query(
      `SELECT image_ref, bytes FROM slip_images WHERE centre_id = $1 AND image_ref LIKE $2`,
      [centre.centreId, `${batchId}/%`],
    );
    const byRef = new Map(stored.map((r) => [r.image_ref, r.bytes]));
    expect(
      parts.filter((p) => Buffer.compare(byRef.get(p.ref) ?? Buffer.alloc(0), p.bytes) === 0),
    ).toHaveLength(10);
  });

  it('names an image by its file name in UTF-8, as browsers and curl send it, so its row finds it', async () => {
    const batchId = uniqueBatchId('UTF8');
    const ref = `сканы/${batchId}/квитанция №1.png`;
    const csv = (await doubtfulSlips(batchId, [ref])).join('\n');
    await upload(batchId, csv, [{ ref, bytes: slipPng(120, 60, 2) }]).expect(202);
    const [id] = await inReview(batchId, 1);
    const item = await stack.http().get(`/v1/review/${id}`).set(bearer(operator.token));
    expect(item.body).toMatchObject({ imageRef: ref, hasImage: true });
  });

  describe('refusals', () => {
    const refusedBefore = async (image: ImagePart, status: number, error: string) => {
      const batchId = uniqueBatchId('BAD');
      const csv = slipFile([{ slip: 'X', qr: slipQr(uniqueAccount()), serial: 'X-1', value: '1' }]);
      const res = await upload(batchId, csv, [image]).expect(status);
      const none = { rows: 0, queued: 0, invalid: 0 };
      expect(res.body).toMatchObject({ error, processed: none });
      // Refused before the file was read: nothing queued, no image, and the batch says why.
      const report = await request(ingest.getHttpServer())
        .get(`/v1/slips/batches/${batchId}`)
        .set('Authorization', basic(centre))
        .expect(200);
      expect(report.body).toMatchObject({ status: 'failed', error: res.body.message, ...none });
      const [stored] = await stack.db.query(
        `SELECT count(*)::int AS n FROM slip_images WHERE centre_id = $1 AND image_ref = $2`,
        [centre.centreId, image.ref],
      );
      expect(stored.n).toBe(0);
      return res.body.message as string;
    };

    it.each([
      ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
      ['an SVG declared as PNG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
      ['a PDF', Buffer.from('%PDF-1.7\n')],
    ])('refuses %s with 415', async (_name, bytes) => {
      const ref = `bad/${uniqueBatchId('T')}.png`;
      expect(await refusedBefore({ ref, bytes }, 415, 'SLIP_IMAGE_TYPE_UNSUPPORTED')).toBe(
        `image "${ref}" is not image/jpeg, image/png, image/webp (judged by its content)`,
      );
    });

    it.each([
      [
        'an image part without a file name',
        'Content-Disposition: form-data; name="image"; filename=""\r\n\r\n\x89PNG\r\n--b--\r\n',
        'SLIP_IMAGE_REF_INVALID',
        'an "image" part needs a file name (filename="…"): the image_ref its rows name it by',
      ],
      [
        'an image part without a file name after 20 other fields',
        `${'Content-Disposition: form-data; name="note"\r\n\r\nx\r\n--b\r\n'.repeat(20)}` +
          'Content-Disposition: form-data; name="image"\r\n\r\n\x89PNG\r\n--b\r\n' +
          `Content-Disposition: form-data; name="file"; filename="f.csv"\r\n\r\n${slipFile([])}\r\n--b--\r\n`,
        'SLIP_FILE_INVALID',
        'the multipart form has more than 20 fields without a file name',
      ],
      [
        'a form cut off inside an image part',
        'Content-Disposition: form-data; name="image"; filename="cut.png"\r\n\r\n\x89PNG',
        'SLIP_FILE_INVALID',
        'multipart body: Unexpected end of form',
      ],
    ])('answers %s with 400, and goes on serving', async (_name, part, error, message) => {
      const res = await request(ingest.getHttpServer())
        .post('/v1/slips/batches')
        .set('Authorization', basic(centre))
        .set('X-Batch-Id', uniqueBatchId('RAW'))
        .set('Content-Type', 'multipart/form-data; boundary=b')
        .send(`--b\r\n${part}`)
        .expect(400);
      expect(res.body).toMatchObject({ error, message });
      await request(ingest.getHttpServer()).get('/health/live').expect(200);
    });

    it('refuses an image over SLIP_IMAGE_MAX_BYTES with 413', async () => {
      const ref = `big/${uniqueBatchId('T')}.jpg`;
      expect(
        await refusedBefore(
          { ref, bytes: jpegLike(MAX_IMAGE_BYTES + 1) },
          413,
          'SLIP_IMAGE_TOO_LARGE',
        ),
      ).toBe(`image "${ref}" is larger than ${MAX_IMAGE_BYTES} bytes (SLIP_IMAGE_MAX_BYTES)`);
    });

    it('names an oversized image with its control characters escaped, and fails its batch', async () => {
      const batchId = uniqueBatchId('NUL');
      const csv = slipFile([]);
      const res = await request(ingest.getHttpServer())
        .post('/v1/slips/batches')
        .set('Authorization', basic(centre))
        .set('X-Batch-Id', batchId)
        .set('Content-Type', 'multipart/form-data; boundary=b')
        .send(
          Buffer.concat([
            Buffer.from(
              `--b\r\nContent-Disposition: form-data; name="image"; filename*=utf-8''a%00b.jpg\r\n\r\n`,
            ),
            jpegLike(MAX_IMAGE_BYTES + 1),
            Buffer.from(
              `\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="f.csv"\r\n\r\n${csv}\r\n--b--\r\n`,
            ),
          ]),
        )
        .expect(413);
      const report = await request(ingest.getHttpServer())
        .get(`/v1/slips/batches/${batchId}`)
        .set('Authorization', basic(centre))
        .expect(200);
      expect(report.body).toMatchObject({ status: 'failed', error: res.body.message });
      await upload(batchId, csv, []).expect(202);
      expect(res.body).toMatchObject({
        error: 'SLIP_IMAGE_TOO_LARGE',
        message: `image "a\\u0000b.jpg" is larger than ${MAX_IMAGE_BYTES} bytes (SLIP_IMAGE_MAX_BYTES)`,
      });
    });

    it('fails the batch on a bad image after the file, saying what was queued', async () => {
      const batchId = uniqueBatchId('LATE');
      const csv = (await doubtfulSlips(batchId, [''])).join('\n');
      const res = await upload(
        batchId,
        csv,
        [],
        [{ ref: 'late.png', bytes: Buffer.from('not an image') }],
      ).expect(415);
      expect(res.body).toMatchObject({
        error: 'SLIP_IMAGE_TYPE_UNSUPPORTED',
        processed: { rows: 1, queued: 1, invalid: 0 },
      });
      const report = await request(ingest.getHttpServer())
        .get(`/v1/slips/batches/${batchId}`)
        .set('Authorization', basic(centre))
        .expect(200);
      expect(report.body).toMatchObject({ status: 'failed', error: res.body.message });
    });

    it("keeps the contract's batch of text/csv as it was", async () => {
      const batchId = uniqueBatchId('CSV');
      const csv = slipFile([{ slip: 'C', qr: slipQr(uniqueAccount()), serial: 'C-1', value: '1' }]);
      await request(ingest.getHttpServer())
        .post('/v1/slips/batches')
        .set('Authorization', basic(centre))
        .set('X-Batch-Id', batchId)
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(202);
    });
  });

  describe('retention', () => {
    it('refuses a retention that is not a whole number of days from 1 at boot', () => {
      for (const days of ['0', '-5', '1.5', 'forever'])
        expect(() =>
          loadConfig(SlipIngestEnv, { ...process.env, SLIP_IMAGE_RETENTION_DAYS: days }),
        ).toThrow(/SLIP_IMAGE_RETENTION_DAYS/);
    });

    it('purges images older than SLIP_IMAGE_RETENTION_DAYS and keeps the rest', async () => {
      const batchId = uniqueBatchId('OLD');
      const refs = [`old/${batchId}.png`, `new/${batchId}.png`];
      const csv = (await doubtfulSlips(batchId, refs)).join('\n');
      await upload(batchId, csv, [
        { ref: refs[0], bytes: slipPng(40, 20) },
        { ref: refs[1], bytes: slipPng(40, 20, 3) },
      ]).expect(202);
      const [old] = await inReview(batchId, 2);
      await stack.db.query(
        `UPDATE slip_images SET received_at = now() - make_interval(days => $3)
          WHERE centre_id = $1 AND image_ref = $2`,
        [centre.centreId, refs[0], RETENTION_DAYS + 1],
      );

      expect(await ingest.get(SlipImagePurgeJob).purge()).toBeGreaterThanOrEqual(1);
      const kept: { image_ref: string }[] = await stack.db.query(
        `SELECT image_ref FROM slip_images WHERE centre_id = $1 AND image_ref = ANY ($2)`,
        [centre.centreId, refs],
      );
      expect(kept.map((k) => k.image_ref)).toEqual([refs[1]]);
      await stack
        .http()
        .get(`/v1/review/${old}/slip-image`)
        .set(bearer(operator.token))
        .expect(404);
      const page = await stack.http().get(`/review/${old}`).set('Cookie', operator.cookie);
      expect(page.text).toContain(`<dd id="image-ref">${refs[0]}</dd>`);
      expect(page.text).not.toContain('<figure');
    });
  });

  describe("images named by image_ref in the scanning centre's store", () => {
    let store: Server;
    let withStore: INestApplication;
    const asked: string[] = [];
    const kept = new Map<string, Buffer>();
    /** Paths under `prefix` are answered only once released: the requests open at once show. */
    let holding: { prefix: string; open: (() => void)[]; most: number } | null = null;

    beforeAll(async () => {
      // A stand-in for the centre's image store: what it keeps, 404 for anything else.
      store = createServer((req, res) => {
        const path = decodeURIComponent(req.url ?? '');
        asked.push(path);
        const answer = () => {
          const body = kept.get(path);
          res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/octet-stream' });
          res.end(body);
        };
        if (!holding || !path.startsWith(holding.prefix)) return answer();
        holding.open.push(answer);
        holding.most = Math.max(holding.most, holding.open.length);
      });
      await new Promise<void>((done) => store.listen(0, '127.0.0.1', done));
      const { port } = store.address() as AddressInfo;
      withStore = await startSlipIngest({
        SLIP_IMAGE_MAX_BYTES: String(MAX_IMAGE_BYTES),
        SLIP_IMAGE_STORE_URL: `http://127.0.0.1:${port}/scans`,
      });
    });

    afterAll(async () => {
      await withStore?.close();
      await new Promise((done) => store?.close(done));
    });

    it('fetches at most 4 images at once, however many batches complete together', async () => {
      const prefix = uniqueBatchId('HELD');
      const hold = { prefix: `/scans/${prefix}/`, open: [] as (() => void)[], most: 0 };
      holding = hold;
      const batches = [1, 2, 3].map((b) => ({
        batchId: `${prefix}-${b}`,
        refs: [1, 2, 3, 4, 5, 6].map((i) => `${prefix}/${b}-${i}.png`),
      }));
      for (const { batchId, refs } of batches) {
        const qr = slipQr(uniqueAccount());
        const csv = slipFile(
          refs.map((image, i) => ({
            slip: `${batchId}-${i}`,
            qr,
            serial: `H-${i}`,
            value: '1',
            image,
          })),
        );
        await upload(batchId, csv, [], [], withStore).expect(202);
      }
      const mine = () => asked.filter((path) => path.startsWith(hold.prefix));
      await eventually(
        async () => mine().length,
        (n) => n >= 4,
      );
      // Time for any further request to arrive while the first ones are held.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(hold.open.length).toBe(4);
      await eventually(
        async () => {
          for (const answer of hold.open.splice(0)) answer();
          return mine().length;
        },
        (n) => n === 18,
      );
      holding = null;
      for (const answer of hold.open.splice(0)) answer();
      expect(hold.most).toBe(4);
      expect(new Set(mine()).size).toBe(18);
    });

    it('fetches the images a batch names but did not carry, after answering, and keeps only real ones', async () => {
      const batchId = uniqueBatchId('STORE');
      const refs = {
        sent: `${batchId}/sent.png`,
        stored: `${batchId}/скан 1.png`,
        text: `${batchId}/note.png`,
        big: `${batchId}/big.jpg`,
        absent: `${batchId}/absent.png`,
        escaping: `${batchId}/../../etc/passwd`,
      };
      const png = slipPng(60, 30, 5);
      kept.set(`/scans/${refs.stored}`, png);
      kept.set(`/scans/${refs.text}`, Buffer.from('not an image'));
      kept.set(`/scans/${refs.big}`, jpegLike(MAX_IMAGE_BYTES + 10));
      const csv = (await doubtfulSlips(batchId, Object.values(refs))).join('\n');
      await upload(
        batchId,
        csv,
        [{ ref: refs.sent, bytes: slipPng(30, 30) }],
        [],
        withStore,
      ).expect(202);

      const mine = () => asked.filter((path) => path.startsWith(`/scans/${batchId}/`)).sort();
      await eventually(
        async () => mine(),
        (paths) => paths.length === 4,
      );
      expect(mine()).toEqual(
        [refs.absent, refs.big, refs.text, refs.stored].map((r) => `/scans/${r}`).sort(),
      );
      const stored = await eventually(
        () =>
          stack.db.query(
            `SELECT image_ref, content_type, bytes FROM slip_images WHERE centre_id = $1 AND image_ref LIKE $2 ORDER BY image_ref`,
            [centre.centreId, `${batchId}/%`],
          ) as Promise<{ image_ref: string; content_type: string; bytes: Buffer }[]>,
        (rows) => rows.length === 2,
      );
      expect(stored.map((r) => [r.image_ref, r.content_type])).toEqual([
        [refs.sent, 'image/png'],
        [refs.stored, 'image/png'],
      ]);
      expect(Buffer.compare(stored[1].bytes, png)).toBe(0);
    });
  });
});
