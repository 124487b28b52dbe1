import { TOPICS } from '@gw/contracts';
import { ensureTopics } from '@gw/messaging';
import type { Kafka } from 'kafkajs';
import { Readable } from 'node:stream';
import request from 'supertest';
import { testKafka, testReplication } from '../support/infra';
import {
  addScanningCentre,
  basic,
  measuredUpload,
  type ScanningCentreLogin,
  SLIP_HEADER,
  type SlipIngestProcess,
  slipLine,
  slipQr,
  spawnSlipIngest,
  TopicWindow,
  uniqueBatchId,
} from './slip-harness';

jest.setTimeout(600_000);

const ROWS = 200_000;
const MB = 1024 * 1024;
/** What the upload may add to the resident memory of slip-ingest, whatever the file's size. */
const RSS_GROWTH_LIMIT = 200 * MB;

/** The file, generated as it is sent: 200,000 slips over 20,000 accounts, about 50 MB. */
async function* batchFile(): AsyncGenerator<string> {
  yield `${SLIP_HEADER}\n`;
  const lines: string[] = [];
  for (let i = 0; i < ROWS; i += 1) {
    const account = `7${String(i % 20_000).padStart(9, '0')}`;
    lines.push(
      slipLine({
        slip: `V-${String(i).padStart(6, '0')}`,
        qr: slipQr(account),
        serial: `VOL-${i % 20_000}`,
        value: `${String(i % 100_000).padStart(5, '0')},${i % 1000}`,
        confidence: '0.98',
        image: `2026/11/20/V-${i}.png`,
      }),
    );
    if (lines.length === 1000) {
      yield `${lines.join('\n')}\n`;
      lines.length = 0;
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

/**
 * A full-size batch through the real HTTP stack and a real broker, into slip-ingest running as a
 * process of its own so that its memory is measured apart from Jest's. The messages go to a topic
 * of their own, deleted afterwards: on the shared topic every later processor run would read them.
 */
describe('slip-ingest with a 200,000-row batch', () => {
  const topic = `${TOPICS.submitted}.slips-volume-${process.env.E2E_RUN_ID}`;
  let kafka: Kafka;
  let slip: SlipIngestProcess;
  let centre: ScanningCentreLogin;

  beforeAll(async () => {
    kafka = testKafka('slip-volume');
    await ensureTopics(kafka, [{ topic, numPartitions: 6 }], testReplication());
    slip = await spawnSlipIngest({
      SLIP_INGEST_TOPIC: topic,
      // The upload's progress lines are part of what this test shows.
      LOG_LEVEL: 'log',
      // A heap far smaller than what the file would take held in memory (hundreds of MB as
      // objects): the upload only completes if memory is bounded by the chunk. Without a cap V8
      // collects lazily and the peak shows its heap sizing rather than what the upload holds.
      NODE_OPTIONS: '--max-old-space-size=128',
    });
    centre = await addScanningCentre();
  });

  afterAll(async () => {
    await slip?.stop();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('streams the file with bounded memory and answers once every row is in Kafka', async () => {
    const batchId = uniqueBatchId('VOL');
    const window = await TopicWindow.open(kafka, topic);
    const started = process.hrtime.bigint();
    const { status, body, before, peak } = await measuredUpload(
      slip,
      { Authorization: basic(centre), 'X-Batch-Id': batchId, 'Content-Type': 'text/csv' },
      Readable.from(batchFile()),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    process.stderr.write(
      `[slip-volume] ${ROWS} rows in ${seconds.toFixed(1)} s = ${Math.round(ROWS / seconds)} rows/s; ` +
        `slip-ingest RSS ${Math.round(before / MB)} MB before, peak ${Math.round(peak / MB)} MB ` +
        `during the upload (+${Math.round((peak - before) / MB)} MB)\n`,
    );
    expect(status).toBe(202);
    expect(JSON.parse(body)).toEqual({ batchId, rows: ROWS, queued: ROWS, invalid: 0 });
    expect(peak - before).toBeLessThan(RSS_GROWTH_LIMIT);
    // The topic is this test's own: every message in the window is one of the batch's.
    expect(await window.count()).toBe(ROWS);

    const report = await request(slip.url)
      .get(`/v1/slips/batches/${batchId}?limit=2`)
      .set('Authorization', basic(centre))
      .expect(200);
    expect(report.body).toMatchObject({
      status: 'complete',
      rows: ROWS,
      queued: ROWS,
      invalid: 0,
      rowsByStatus: { queued: ROWS, invalid: 0 },
      nextAfter: 3,
    });
    const metrics = await request(slip.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(new RegExp(`^slip_rows_parsed_total ${ROWS}$`, 'm'));
    expect(metrics.text).toMatch(new RegExp(`^slip_rows_queued_total ${ROWS}$`, 'm'));
  });
});
