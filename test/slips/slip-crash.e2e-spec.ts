import type { ChildProcess } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import { TOPICS } from '@gw/contracts';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { freePort } from '../../scripts/local-env';
import { spawnCrashingApp } from '../support/crashing-app';
import { uniqueAccount, uniqueSerial } from '../support/factories';
import { eventually, startGroupAtEnd, testDatabase, testGroup, testKafka } from '../support/infra';
import { startProcessor } from '../support/processor';
import { exited } from '../support/processor-process';
import {
  addScanningCentre,
  basic,
  type ScanningCentreLogin,
  slipFile,
  slipQr,
  startSlipIngest,
  uniqueBatchId,
} from './slip-harness';

const PROCESSOR_GROUP = testGroup('slip-crash-processor');
const CHUNK_ROWS = 5;
const ROWS = 20;
const LEASE_SECONDS = 5;

/**
 * slip-ingest killed with SIGKILL in the middle of an upload, right after Kafka acknowledged a
 * chunk whose rows it had not recorded yet: the batch is left `receiving`, no answer went out. Once
 * the upload's lease lapses the centre sends the file again and it is taken whole: every slip is
 * queued and stored once, the chunk that reached Kafka unrecorded included.
 */
describe('slip-ingest killed mid-upload', () => {
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

  afterAll(async () => {
    child?.kill('SIGKILL');
    if (child) await exited(child);
    await app?.close();
    await processor?.close();
    await db?.destroy();
  });

  it('stores every slip once when sent again after a kill between publishing a chunk and recording it', async () => {
    const batchId = uniqueBatchId('CRASH');
    const qr = slipQr(uniqueAccount());
    const lines = Array.from({ length: ROWS }, (_, i) => ({
      slip: `${batchId}-S${i + 1}`,
      qr,
      serial: uniqueSerial('CR'),
      value: String(i + 1),
    }));
    const file = slipFile(lines);
    // A slip of the second chunk: the app dies once Kafka has it, before its rows are recorded.
    const marked = lines[CHUNK_ROWS + 2];
    const port = await freePort();
    child = spawnCrashingApp(
      'apps/slip-ingest/src/main.ts',
      { topic: TOPICS.submitted, marker: `"${marked.slip}/${marked.serial}"`, at: 'after' },
      { SLIP_INGEST_PORT: String(port), SLIP_CHUNK_ROWS: String(CHUNK_ROWS) },
    );
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      () =>
        fetch(`${url}/health/live`).then(
          (r) => r.status,
          () => 0,
        ),
      (status) => status === 200,
      60_000,
      200,
    );
    const cut = await fetch(`${url}/v1/slips/batches`, {
      method: 'POST',
      headers: {
        Authorization: basic(centre),
        'X-Batch-Id': batchId,
        'Content-Type': 'text/csv',
      },
      body: file,
    }).then(
      (res) => res.status,
      () => 'no answer',
    );
    expect(cut).toBe('no answer');
    await exited(child);
    expect(child.signalCode).toBe('SIGKILL');

    const [batch] = await db.query(
      `SELECT status, (SELECT count(*)::int FROM slip_batch_rows r
                        WHERE r.centre_id = b.centre_id AND r.batch_id = b.batch_id) AS recorded
         FROM slip_batches b WHERE centre_id = $1 AND batch_id = $2`,
      [centre.centreId, batchId],
    );
    expect(batch).toEqual({ status: 'receiving', recorded: CHUNK_ROWS });

    app = await startSlipIngest({
      SLIP_CHUNK_ROWS: String(CHUNK_ROWS),
      SLIP_UPLOAD_LEASE_SECONDS: String(LEASE_SECONDS),
    });
    const again = () =>
      request((app as INestApplication).getHttpServer())
        .post('/v1/slips/batches')
        .set('Authorization', basic(centre))
        .set('X-Batch-Id', batchId)
        .set('Content-Type', 'text/csv')
        .send(file);
    // 409 BATCH_BUSY while the dead upload's lease runs.
    const res = await eventually(again, (r) => r.status !== 409, 3 * LEASE_SECONDS * 1000, 500);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ batchId, rows: ROWS, queued: ROWS, invalid: 0 });

    const stored = await eventually(
      () =>
        db.query(
          `SELECT source_ref, count(*)::int AS n FROM readings WHERE source_id = $1
            GROUP BY source_ref ORDER BY source_ref COLLATE "C"`,
          [centre.centreId],
        ) as Promise<{ source_ref: string; n: number }[]>,
      (rows) => rows.length === ROWS,
      30_000,
      200,
    );
    expect(stored).toEqual(
      lines
        .map((l) => ({ source_ref: `${l.slip}/${l.serial}`, n: 1 }))
        .sort((a, b) => (a.source_ref < b.source_ref ? -1 : 1)),
    );
    const report = await request((app as INestApplication).getHttpServer())
      .get(`/v1/slips/batches/${batchId}`)
      .set('Authorization', basic(centre))
      .expect(200);
    expect(report.body).toMatchObject({ status: 'complete', rows: ROWS, queued: ROWS, invalid: 0 });
  });
});
