import type { INestApplication } from '@nestjs/common';
import { KIOSK_PATHS, TOPICS } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import type { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { uniqueAccount, uniqueSerial } from '../support/factories';
import { eventually, testKafka } from '../support/infra';
import {
  addKiosk,
  getSubmission,
  type Kiosk,
  LiveTap,
  nonce,
  postBatch,
  signedHeaders,
  startGateway,
  unixNow,
} from './kiosk-harness';

const MIB = 1024 * 1024;

describe('kiosk-gateway: requests it refuses', () => {
  let gateway: INestApplication;
  let submitted: LiveTap;
  let kiosk: Kiosk;
  let batches = 0;
  /** Every refused batch uses this account, so it would land in the marker's partition, before it. */
  const account = uniqueAccount();
  const refusedBatchIds: string[] = [];

  const batch = (items = 1) => {
    batches += 1;
    return {
      batchId: `r-${process.env.E2E_RUN_ID}-${batches}`,
      items: Array.from({ length: items }, (_, i) => ({
        seq: i + 1,
        accountNumber: account,
        meterSerial: uniqueSerial(),
        values: [{ zone: 'T1', value: '1' }],
        readAt: toMoscowIso(new Date()),
      })),
    };
  };
  const refused = (body: { batchId: string }) => {
    refusedBatchIds.push(body.batchId);
    return body;
  };

  beforeAll(async () => {
    submitted = await LiveTap.open(testKafka(), TOPICS.submitted);
    gateway = await startGateway({
      KIOSK_RATE_LIMIT_PER_SECOND: '5',
      KIOSK_RATE_LIMIT_BURST: '30',
    });
    kiosk = await addKiosk();
  });

  afterAll(async () => {
    await gateway?.close();
    await submitted?.close();
  });

  describe('400 for a body that is not a batch, naming the problem', () => {
    it.each<[string, string | object, string]>([
      ['not JSON', '{"batchId": "1", items: [', 'the body is not valid JSON'],
      ['a JSON array', '[{"seq": 1}]', 'the body must be a JSON object { batchId, items }'],
      ['no batchId', { items: [{ seq: 1 }] }, 'batchId must be a string of 1 to 128 printable'],
      [
        'items not an array',
        { batchId: 'x', items: 'none' },
        'items must be an array of 1 to 1000',
      ],
      ['no items', { batchId: 'x', items: [] }, 'items must be an array of 1 to 1000'],
      [
        'a name given twice in one object',
        '{"batchId":"x","items":[{"seq":1}],"items":[{"seq":2}]}',
        '"items" is given twice in one object',
      ],
    ])('%s', async (_name, body, message) => {
      const { body: answer } = await postBatch(gateway, kiosk, body).expect(400);
      expect(answer.message).toContain(message);
    });

    it('more than 1000 items', async () => {
      const { body } = await postBatch(gateway, kiosk, refused(batch(1001))).expect(400);
      expect(body.message).toBe('items must be an array of 1 to 1000 readings');
    });
  });

  describe('413 for a body over 1 MiB, before it is parsed', () => {
    it('when Content-Length says so', async () => {
      const padded = JSON.stringify(refused(batch())).replace(/}$/, `${' '.repeat(MIB)}}`);
      const { body } = await postBatch(gateway, kiosk, padded).expect(413);
      expect(body.message).toContain('larger than 1048576 bytes');
    });

    it('when a chunked body grows past the limit', async () => {
      const server = gateway.getHttpServer();
      const port = (server.address() as AddressInfo).port;
      const body = JSON.stringify(refused(batch())).replace(/}$/, `${' '.repeat(MIB)}}`);
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: KIOSK_PATHS.readings,
            headers: {
              ...signedHeaders(kiosk, 'POST', KIOSK_PATHS.readings, body),
              'Content-Type': 'application/json',
              'Transfer-Encoding': 'chunked',
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        for (let at = 0; at < body.length; at += 64 * 1024)
          req.write(body.slice(at, at + 64 * 1024));
        req.end();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).message).toContain('larger than 1048576 bytes');
    });

    it('but takes a body of exactly 1 MiB', async () => {
      const json = JSON.stringify(batch());
      const exact = json.replace(/}$/, `${' '.repeat(MIB - Buffer.byteLength(json))}}`);
      expect(Buffer.byteLength(exact)).toBe(MIB);
      await postBatch(gateway, kiosk, exact).expect(202);
    });
  });

  it.each(['text/plain', 'application/json; charset=windows-1251', 'application/json; charset='])(
    '415 for a body not declared JSON in UTF-8: %s',
    async (contentType) => {
      const { body } = await postBatch(gateway, kiosk, refused(batch()), { contentType }).expect(
        415,
      );
      expect(body.message).toBe(
        'Content-Type must be application/json, in UTF-8 if a charset is given',
      );
    },
  );

  it('415 for a compressed body: the signature covers the JSON as sent, never a coding of it', async () => {
    const { body } = await postBatch(gateway, kiosk, gzipSync(JSON.stringify(refused(batch()))))
      .set('Content-Encoding', 'gzip')
      .expect(415);
    expect(body.message).toBe(
      'Content-Encoding "gzip" is not supported: send the body uncompressed',
    );
  });

  it('400 for a body that is not UTF-8: a batch id in Windows-1251 is not read with U+FFFD', async () => {
    const utf8 = Buffer.from(JSON.stringify({ ...batch(), batchId: 'Б1' }));
    const at = utf8.indexOf(Buffer.from('Б'));
    const cp1251 = Buffer.concat([
      utf8.subarray(0, at),
      Buffer.from([0xc1]),
      utf8.subarray(at + 2),
    ]);
    const { body } = await postBatch(gateway, kiosk, cp1251).expect(400);
    expect(body.message).toBe('the body is not UTF-8');
  });

  describe('401, and nothing queued, for a request not signed by a known kiosk', () => {
    it('without the authentication headers', async () => {
      const { body } = await request(gateway.getHttpServer())
        .post(KIOSK_PATHS.readings)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(refused(batch())))
        .expect(401);
      expect(body.message).toContain('X-Kiosk-Id');
    });

    it.each<[string, () => Parameters<typeof postBatch>[3] & { kiosk?: Kiosk }, string]>([
      [
        'from an unknown kiosk',
        () => ({ kiosk: { kioskId: 'K-NOBODY', secret: 'whatever' } }),
        'unknown kiosk or wrong signature',
      ],
      [
        'signed with another secret',
        () => ({ secret: 'not-the-secret' }),
        'unknown kiosk or wrong signature',
      ],
      [
        'whose body was changed after signing',
        () => ({ signedBody: '{"batchId":"other","items":[]}' }),
        'unknown kiosk or wrong signature',
      ],
      [
        'with a timestamp 301 s old',
        () => ({ timestamp: String(Number(unixNow()) - 301) }),
        'more than 300 s away from the server clock',
      ],
      [
        // 302: the server's second may tick between signing and its check (the exact bound is
        // the unit suite's, signed-request-headers.spec.ts).
        'with a timestamp 302 s ahead',
        () => ({ timestamp: String(Number(unixNow()) + 302) }),
        'more than 300 s away from the server clock',
      ],
      [
        'with a timestamp in milliseconds',
        () => ({ timestamp: String(Date.now()) }),
        'X-Timestamp must be',
      ],
      ['with a short nonce', () => ({ nonce: 'too-short' }), 'X-Nonce must be 16 to 64'],
    ])('%s', async (_name, options, message) => {
      const { kiosk: who, ...sign } = options();
      const { body } = await postBatch(gateway, who ?? kiosk, refused(batch()), sign).expect(401);
      expect(body.message).toContain(message);
    });

    it.each([
      ['an unknown kiosk', { kioskId: 'K-NOBODY', secret: 'whatever' }, 'unknown kiosk'],
      ['a timestamp out of the window', null, 'more than 300 s away'],
    ])(
      'from %s, before its body is read: the answer comes while the body is still owed',
      async (_name, who, message) => {
        const port = (gateway.getHttpServer().address() as AddressInfo).port;
        const stale = who === null ? { timestamp: String(Number(unixNow()) - 301) } : {};
        const headers = signedHeaders(who ?? kiosk, 'POST', KIOSK_PATHS.readings, '', stale);
        const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: KIOSK_PATHS.readings,
              headers: {
                ...headers,
                'Content-Type': 'application/json',
                'Content-Length': String(MIB),
              },
            },
            (res) => {
              let text = '';
              res.on('data', (chunk) => (text += chunk));
              res.on('end', () => {
                req.destroy();
                resolve({ status: res.statusCode ?? 0, body: text });
              });
            },
          );
          req.on('error', reject);
          // A few bytes of the promised mebibyte, and never the rest.
          req.write('{"batchId":');
        });
        expect(answer.status).toBe(401);
        expect(JSON.parse(answer.body).message).toContain(message);
      },
    );

    it('signed for another path', async () => {
      const body = JSON.stringify(refused(batch()));
      const { body: answer } = await request(gateway.getHttpServer())
        .post(KIOSK_PATHS.readings)
        .set(signedHeaders(kiosk, 'POST', '/v1/kiosk/readings/', body))
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(401);
      expect(answer.message).toBe('unknown kiosk or wrong signature');
    });

    it('replaying a nonce: the first request is queued, the replay refused', async () => {
      const replayed = batch();
      const headers = signedHeaders(kiosk, 'POST', KIOSK_PATHS.readings, JSON.stringify(replayed));
      const send = () =>
        request(gateway.getHttpServer())
          .post(KIOSK_PATHS.readings)
          .set(headers)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(replayed));
      const first = await send().expect(202);
      const { body } = await send().expect(401);
      expect(body.message).toBe('X-Nonce was already used: sign every request anew');
      const ids = first.body.items.map((i: { submissionId: string }) => i.submissionId);
      await eventually(
        async () => submitted.of(ids),
        (found) => found.length === 1,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(submitted.of(ids)).toHaveLength(1);
    });

    it('the same signed batch sent twice at once: one is queued, the other refused', async () => {
      const raced = batch(3);
      const raw = JSON.stringify(raced);
      const headers = signedHeaders(kiosk, 'POST', KIOSK_PATHS.readings, raw);
      const send = () =>
        request(gateway.getHttpServer())
          .post(KIOSK_PATHS.readings)
          .set(headers)
          .set('Content-Type', 'application/json')
          .send(raw);
      const [one, other] = await Promise.all([send(), send()]);
      const [queued, refusal] = one.status === 202 ? [one, other] : [other, one];
      expect([queued.status, refusal.status]).toEqual([202, 401]);
      expect(refusal.body.message).toBe('X-Nonce was already used: sign every request anew');
      const ids = queued.body.items.map((i: { submissionId: string }) => i.submissionId);
      await eventually(
        async () => submitted.of(ids),
        (found) => found.length === ids.length,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(submitted.of(ids)).toHaveLength(ids.length);
    });

    it('a GET signed wrongly', async () => {
      const path = KIOSK_PATHS.submission('00000000-0000-5000-8000-000000000000');
      const { body } = await request(gateway.getHttpServer())
        .get(path)
        .set(signedHeaders(kiosk, 'GET', path, '', { secret: 'wrong' }))
        .expect(401);
      expect(body.message).toBe('unknown kiosk or wrong signature');
    });
  });

  it('nothing of the refused batches reached Kafka', async () => {
    const marker = batch();
    const { body } = await postBatch(gateway, kiosk, marker).expect(202);
    await eventually(
      async () => submitted.of([body.items[0].submissionId]),
      (found) => found.length === 1,
    );
    expect(refusedBatchIds.length).toBeGreaterThanOrEqual(10);
    const leaked = submitted.messages.filter((m) =>
      refusedBatchIds.some((id) =>
        String((m.value?.source as { ref?: string } | undefined)?.ref ?? '').startsWith(`${id}/`),
      ),
    );
    expect(leaked).toEqual([]);
  });

  it('429 with Retry-After when a kiosk goes over its rate, other kiosks unaffected', async () => {
    const busy = await addKiosk();
    const quiet = await addKiosk();
    const id = '00000000-0000-5000-8000-000000000000';
    const statuses: number[] = [];
    let limited: request.Response | undefined;
    // Requests until the first 429: a slow machine refills the bucket while it asks.
    for (let i = 0; i < 300 && !limited; i += 1) {
      const answer = await getSubmission(gateway, busy, id);
      statuses.push(answer.status);
      limited ??= answer.status === 429 ? answer : undefined;
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(404));
    expect(statuses).toContain(429);
    expect(limited?.headers['retry-after']).toBe('1');
    expect(limited?.body.message).toContain('over its request rate');
    await getSubmission(gateway, quiet, id).expect(404);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await getSubmission(gateway, busy, id, { nonce: nonce() }).expect(404);
  });
});
