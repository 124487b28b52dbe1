import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { type INestApplication, Logger } from '@nestjs/common';
import { TOPICS } from '@gw/contracts';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { freePort } from '../../scripts/local-env';
import { lastAnswer, spawnCrashingApp } from '../support/crashing-app';
import { uniqueAccount, uniqueSerial } from '../support/factories';
import {
  eventually,
  startGroupAtEnd,
  testDatabase,
  testGroup,
  testKafka,
  untilLive,
} from '../support/infra';
import { startProcessor } from '../support/processor';
import { exited } from '../support/processor-process';
import { proxyDatabase, type TcpProxy } from '../support/tcp-proxy';
import {
  addScanningCentre,
  basic,
  type ScanningCentreLogin,
  SLIP_HEADER,
  type SlipLine,
  slipFile,
  slipQr,
  startSlipIngest,
  uniqueBatchId,
} from './slip-harness';

const PROCESSOR_GROUP = testGroup('slip-crash-processor');
const CHUNK_ROWS = 5;
const ROWS = 20;
const LEASE_SECONDS = 5;
/** Lines sent before a database outage: the first chunk is handed over, the second not yet. */
const HEAD = 2 * CHUNK_ROWS - 1;

/**
 * slip-ingest interrupted in the middle of an upload: killed with SIGKILL right after Kafka
 * acknowledged a chunk whose rows it had not recorded yet (no answer went out), or losing
 * PostgreSQL after the first chunk was queued and recorded (the centre is told to retry later, 503,
 * never 500). The batch is left `receiving`; once the upload's lease lapses the centre sends the
 * file again and it is taken whole: every slip is queued and stored once, the chunk that reached
 * Kafka unrecorded included.
 */
describe('slip-ingest interrupted mid-upload', () => {
  let db: DataSource;
  let processor: INestApplication;
  let app: INestApplication | undefined;
  let child: ChildProcess | undefined;
  let centre: ScanningCentreLogin;

  beforeAll(async () => {
    db = await testDatabase();
    await startGroupAtEnd(testKafka('slip-crash'), PROCESSOR_GROUP, TOPICS.submitted);
    processor = await startProcessor({ PROCESSOR_GROUP_ID: PROCESSOR_GROUP });
    centre = await addScanningCentre();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    if (child) await exited(child);
    await processor?.close();
    await db?.destroy();
  });

  const slipsOf = (batchId: string): SlipLine[] => {
    const qr = slipQr(uniqueAccount());
    return Array.from({ length: ROWS }, (_, i) => ({
      slip: `${batchId}-S${i + 1}`,
      qr,
      serial: uniqueSerial('CR'),
      value: String(i + 1),
    }));
  };

  /** The centre sends `slips` again to `app` until the interrupted upload's lease has lapsed. */
  const takenWholeOnce = async (batchId: string, slips: SlipLine[]) => {
    const again = () =>
      request((app as INestApplication).getHttpServer())
        .post('/v1/slips/batches')
        .set('Authorization', basic(centre))
        .set('X-Batch-Id', batchId)
        .set('Content-Type', 'text/csv')
        .send(slipFile(slips));
    // 409 BATCH_BUSY while the interrupted upload's lease runs.
    const res = await eventually(again, (r) => r.status !== 409, 3 * LEASE_SECONDS * 1000, 500);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ batchId, rows: ROWS, queued: ROWS, invalid: 0 });

    const refs = slips.map((s) => `${s.slip}/${s.serial}`);
    const stored = await eventually(
      () =>
        db.query(
          `SELECT source_ref, count(*)::int AS n FROM readings
            WHERE source_id = $1 AND source_ref = ANY($2::varchar[])
            GROUP BY source_ref ORDER BY source_ref COLLATE "C"`,
          [centre.centreId, refs],
        ) as Promise<{ source_ref: string; n: number }[]>,
      (rows) => rows.length === ROWS,
      30_000,
      200,
    );
    expect(stored).toEqual(refs.sort().map((ref) => ({ source_ref: ref, n: 1 })));
    const report = await request((app as INestApplication).getHttpServer())
      .get(`/v1/slips/batches/${batchId}`)
      .set('Authorization', basic(centre))
      .expect(200);
    expect(report.body).toMatchObject({ status: 'complete', rows: ROWS, queued: ROWS, invalid: 0 });
  };

  const recorded = async (batchId: string) =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM slip_batch_rows WHERE centre_id = $1 AND batch_id = $2`,
        [centre.centreId, batchId],
      )
    )[0].n as number;

  it('stores every slip once when sent again after a kill between publishing a chunk and recording it', async () => {
    const batchId = uniqueBatchId('CRASH');
    const lines = slipsOf(batchId);
    // A slip of the second chunk: the app dies once Kafka has it, before its rows are recorded.
    const marked = lines[CHUNK_ROWS + 2];
    const port = await freePort();
    child = spawnCrashingApp(
      'apps/slip-ingest/src/main.ts',
      { topic: TOPICS.submitted, marker: `"${marked.slip}/${marked.serial}"`, at: 'after' },
      { SLIP_INGEST_PORT: String(port), SLIP_CHUNK_ROWS: String(CHUNK_ROWS) },
    );
    const url = `http://127.0.0.1:${port}`;
    await untilLive(url);
    const cut = fetch(`${url}/v1/slips/batches`, {
      method: 'POST',
      headers: {
        Authorization: basic(centre),
        'X-Batch-Id': batchId,
        'Content-Type': 'text/csv',
      },
      body: slipFile(lines),
    });
    expect(await lastAnswer(child, cut)).toEqual({ answer: 'no answer', signal: 'SIGKILL' });

    const [batch] = await db.query(
      `SELECT status FROM slip_batches WHERE centre_id = $1 AND batch_id = $2`,
      [centre.centreId, batchId],
    );
    expect(batch.status).toBe('receiving');
    expect(await recorded(batchId)).toBe(CHUNK_ROWS);

    app = await startSlipIngest({
      SLIP_CHUNK_ROWS: String(CHUNK_ROWS),
      SLIP_UPLOAD_LEASE_SECONDS: String(LEASE_SECONDS),
    });
    await takenWholeOnce(batchId, lines);
  });

  /**
   * Sends the file's header and HEAD lines (a slip's rows are handed over once the rows after it
   * are read), waits until slip-ingest has recorded the first chunk, runs `outage`, then sends the
   * rest; resolves with the answer's status and body.
   */
  const uploadThrough = (batchId: string, lines: string[], outage: () => Promise<void>) =>
    new Promise<{ status: number; body: unknown }>((done, failed) => {
      const { port } = (app as INestApplication).getHttpServer().address();
      const req = httpRequest(`http://127.0.0.1:${port}/v1/slips/batches`, {
        method: 'POST',
        headers: {
          Authorization: basic(centre),
          'X-Batch-Id': batchId,
          'Content-Type': 'text/csv',
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode as number, body: JSON.parse(text) }));
      });
      req.on('error', failed);
      req.write([SLIP_HEADER, ...lines.slice(0, HEAD)].map((l) => `${l}\n`).join(''));
      eventually(
        () => recorded(batchId),
        (n) => n === CHUNK_ROWS,
        30_000,
        100,
      )
        .then(outage)
        .then(
          () =>
            req.end(
              lines
                .slice(HEAD)
                .map((l) => `${l}\n`)
                .join(''),
            ),
          (error) => {
            req.destroy();
            failed(error);
          },
        );
    });

  it.each([
    ['gone', (proxy: TcpProxy) => proxy.cut()],
    ['frozen', async (proxy: TcpProxy) => proxy.stall()],
  ] as const)(
    'answers 503 when the database is %s mid-upload, then takes the file sent again whole once it is back',
    async (_state, outage) => {
      const { proxy, url: databaseUrl } = await proxyDatabase();
      const errors = jest.spyOn(Logger.prototype, 'error');
      const warnings = jest.spyOn(Logger.prototype, 'warn');
      try {
        app = await startSlipIngest({
          DATABASE_URL: databaseUrl,
          DATABASE_CONNECT_TIMEOUT_MS: '1000',
          DATABASE_STATEMENT_TIMEOUT_MS: '1000',
          SLIP_CHUNK_ROWS: String(CHUNK_ROWS),
          SLIP_UPLOAD_LEASE_SECONDS: String(LEASE_SECONDS),
        });
        const batchId = uniqueBatchId('OUT');
        const slips = slipsOf(batchId);
        const lines = slipFile(slips).trimEnd().split('\n').slice(1);
        const cut = await uploadThrough(batchId, lines, () => outage(proxy));
        expect(cut).toMatchObject({ status: 503, body: { error: 'DATABASE_UNAVAILABLE' } });
        // The end of the upload cannot be recorded either: an outage, a warning, not an error.
        const said = (spy: jest.SpyInstance) => spy.mock.calls.map(([line]) => line.msg);
        expect(said(warnings)).toContain('could not record the end of a slip batch upload');
        expect(said(errors)).toEqual([]);

        proxy.unstall();
        await proxy.restore();
        await takenWholeOnce(batchId, slips);
      } finally {
        errors.mockRestore();
        warnings.mockRestore();
        await app?.close();
        app = undefined;
        await proxy.close();
      }
    },
  );
});
