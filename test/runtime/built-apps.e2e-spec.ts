import { KIOSK_PATHS } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { addKiosk, type Kiosk, signedHeaders } from '../kiosk/kiosk-harness';
import {
  type BuiltApp,
  buildOnce,
  probe,
  startBuiltApp,
  stopBuiltApp,
  untilReady,
} from '../support/built-app';
import { eventually, testGroup } from '../support/infra';
import { proxyDatabase, proxyKafka } from '../support/tcp-proxy';

const KIOSK = ['kiosk-gateway', 'KIOSK_GATEWAY_PORT'] as const;

let batches = 0;

/** A kiosk batch of one well-formed reading (the gateway queues it; the processor decides it). */
function batchBody(): string {
  batches += 1;
  return JSON.stringify({
    batchId: `b-built-${process.env.E2E_RUN_ID}-${batches}`,
    items: [
      {
        seq: 1,
        accountNumber: '1000000001',
        meterSerial: `BUILT-${batches}`,
        values: [{ zone: 'T1', value: '00110.500' }],
        readAt: toMoscowIso(new Date(Date.now() - 60_000)),
      },
    ],
  });
}

/**
 * A signed kiosk POST whose body is sent in two halves, the second when `finish` is called, so the
 * request is in flight for as long as the test wants.
 */
function slowBatch(url: string, kiosk: Kiosk) {
  const body = batchBody();
  const target = new URL(KIOSK_PATHS.readings, url);
  const req = httpRequest(target, {
    method: 'POST',
    headers: {
      ...signedHeaders(kiosk, 'POST', KIOSK_PATHS.readings, body),
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    },
  });
  const answer = new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>(
    (done, failed) => {
      req.on('error', failed);
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      });
    },
  );
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return { answer, finish: () => req.end(body.slice(half)) };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The production entry points (`npm run build`, then `node dist/apps/<app>/main.js`): they start
 * and become ready, wait for a database and broker that are not there yet, and drain on SIGTERM.
 */
describe('apps run from the built output', () => {
  let kiosk: Kiosk;
  const started: BuiltApp[] = [];
  const start = async (...args: Parameters<typeof startBuiltApp>) => {
    const app = await startBuiltApp(...args);
    started.push(app);
    return app;
  };

  beforeAll(async () => {
    buildOnce();
    kiosk = await addKiosk('K-BUILT');
  }, 240_000);

  afterAll(async () => {
    for (const app of started) await stopBuiltApp(app);
  });

  it('node dist/apps/kiosk-gateway/main.js becomes ready and takes a batch (worker threads included)', async () => {
    const app = await start(...KIOSK);
    await untilReady(app);
    const { answer, finish } = slowBatch(app.url, kiosk);
    finish();
    const res = await answer;
    expect(res.status).toBe(202);
    expect(JSON.parse(res.body).items[0]).toMatchObject({ seq: 1, status: 'queued' });

    app.child.kill('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });
  });

  it('node dist/apps/reading-processor/main.js becomes ready and exits 0 on SIGTERM', async () => {
    const app = await start('reading-processor', 'READING_PROCESSOR_PORT', {
      PROCESSOR_GROUP_ID: testGroup('reading-processor'),
      PROCESSOR_FROM_BEGINNING: 'false',
    });
    await untilReady(app);
    app.child.kill('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });
  });

  it('started without its database and broker, an app is live, not ready, and becomes ready by itself once they answer', async () => {
    const { proxy: databaseProxy, url } = await proxyDatabase('closed');
    const { proxy: kafkaProxy, brokers } = await proxyKafka('closed');
    try {
      const app = await start(...KIOSK, { DATABASE_URL: url, KAFKA_BROKERS: brokers });
      await eventually(
        () => probe(app.url, '/health/live'),
        (status) => status === 200,
      );
      expect(await probe(app.url, '/health/ready')).toBe(503);
      const early = slowBatch(app.url, kiosk);
      early.finish();
      const refused = await early.answer;
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'DATABASE_UNAVAILABLE' });
      await sleep(3000);
      expect(app.child.exitCode).toBeNull();
      expect(await probe(app.url, '/health/ready')).toBe(503);

      await databaseProxy.restore();
      await kafkaProxy.restore();
      await untilReady(app, 30_000);
      const { answer, finish } = slowBatch(app.url, kiosk);
      finish();
      expect((await answer).status).toBe(202);
    } finally {
      await databaseProxy.close();
      await kafkaProxy.close();
    }
  });

  it('a consumer started while its broker is unreachable stays up, unready, and starts consuming once the broker answers', async () => {
    const { proxy: kafkaProxy, brokers } = await proxyKafka('closed');
    try {
      const app = await start('reading-processor', 'READING_PROCESSOR_PORT', {
        KAFKA_BROKERS: brokers,
        PROCESSOR_GROUP_ID: testGroup('reading-processor'),
        PROCESSOR_FROM_BEGINNING: 'false',
      });
      await eventually(
        () => probe(app.url, '/health/live'),
        (status) => status === 200,
      );
      // Past the time the consumer's first connect gives up (about 7 s), which used to end the process.
      await sleep(10_000);
      expect(app.child.exitCode).toBeNull();
      expect(await probe(app.url, '/health/ready')).toBe(503);

      await kafkaProxy.restore();
      await untilReady(app, 60_000);
      app.child.kill('SIGTERM');
      expect(await app.exited).toEqual({ code: 0, signal: null });
    } finally {
      await kafkaProxy.close();
    }
  });

  it('on SIGTERM: unready at once, in-flight requests answered normally, then exit 0 within the bound', async () => {
    const delayMs = 1500;
    const timeoutMs = 10_000;
    const app = await start(...KIOSK, {
      SHUTDOWN_DELAY_MS: String(delayMs),
      SHUTDOWN_TIMEOUT_MS: String(timeoutMs),
    });
    await untilReady(app);
    const inFlight = [slowBatch(app.url, kiosk), slowBatch(app.url, kiosk)];
    await sleep(300);

    const signalled = Date.now();
    app.child.kill('SIGTERM');
    await eventually(
      () => probe(app.url, '/health/ready'),
      (status) => status === 503,
      delayMs,
      50,
    );
    // After the delay the server no longer takes connections, and still owes the two answers.
    await eventually(
      () => probe(app.url, '/health/live'),
      (status) => status === 0,
      delayMs + 2000,
      100,
    );
    expect(app.child.exitCode).toBeNull();
    inFlight.forEach(({ finish }) => finish());
    for (const { answer } of inFlight) {
      const res = await answer;
      expect(res.status).toBe(202);
      expect(res.headers.connection).toBe('close');
      expect(JSON.parse(res.body).items[0]).toMatchObject({ seq: 1, status: 'queued' });
    }
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(delayMs + timeoutMs);
    expect(app.logs.map((line) => (line.message as { msg?: string })?.msg)).toEqual(
      expect.arrayContaining(['draining', 'drained']),
    );
  });
});
