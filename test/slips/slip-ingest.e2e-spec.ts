import type { INestApplication } from '@nestjs/common';
import { type SubmissionMessage, TOPICS } from '@gw/contracts';
import type { Kafka } from 'kafkajs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { registryRecord, seedMeters, uniqueAccount, uniqueSerial } from '../support/factories';
import { eventually, testDatabase, testKafka } from '../support/infra';
import { scryptRuns } from '../support/password-metrics';
import { startProcessor } from '../support/processor';
import {
  addScanningCentre,
  basic,
  dayFromToday,
  type ScanningCentreLogin,
  SLIP_HEADER,
  slipFile,
  type SlipLine,
  slipLine,
  slipQr,
  startSlipIngest,
  TopicWindow,
  uniqueBatchId,
} from './slip-harness';

jest.setTimeout(300_000);

/** Small chunks and a small row limit, so that a file of a few dozen rows crosses chunk borders. */
const CHUNK_ROWS = 3;
const MAX_ROWS = 60;

interface RowView {
  row: number;
  slipId: string | null;
  meterSerial: string | null;
  zone: string | null;
  imageRef: string | null;
  submissionId: string | null;
  status: string;
  error: string | null;
  reasons: string[];
  warnings: string[];
}

interface Meters {
  account: string;
  water: string;
  hotWater: string;
  electricity: string;
  doubtful: string;
  electricity2: string;
}

describe('slip-ingest through real Kafka and PostgreSQL', () => {
  let db: DataSource;
  let kafka: Kafka;
  let app: INestApplication;
  let processor: INestApplication;
  let centre: ScanningCentreLogin;
  let other: ScanningCentreLogin;
  const http = () => request(app.getHttpServer());

  const upload = (body: string, batchId: string, who: ScanningCentreLogin = centre) =>
    http()
      .post('/v1/slips/batches')
      .set('Authorization', basic(who))
      .set('X-Batch-Id', batchId)
      .set('Content-Type', 'text/csv')
      .send(body);

  const report = (batchId: string, query = '', who: ScanningCentreLogin = centre) =>
    http().get(`/v1/slips/batches/${batchId}${query}`).set('Authorization', basic(who));

  const rowsOf = async (batchId: string): Promise<Map<number, RowView>> => {
    const res = await report(batchId, '?limit=5000').expect(200);
    return new Map((res.body.items as RowView[]).map((r) => [r.row, r]));
  };

  /** Waits until the processor has decided every queued row of the batch. */
  const decided = (batchId: string) =>
    eventually(
      () => rowsOf(batchId),
      (rows) => [...rows.values()].every((r) => r.status !== 'queued'),
      120_000,
      250,
    );

  const readingsOf = (ids: string[]) =>
    db.query(
      `SELECT submission_id, channel, source_id, source_ref, account_number, meter_serial, submitted_values,
              confidence::float8 AS confidence, read_at, received_at, status, reasons
         FROM readings WHERE submission_id = ANY($1::uuid[])`,
      [ids],
    );

  const ourMessages = async (window: TopicWindow, who = centre) =>
    (await window.read())
      .map((m) => JSON.parse((m.value as Buffer).toString()) as SubmissionMessage)
      .filter((m) => m.source.id === who.centreId);

  async function seed(): Promise<Meters> {
    const account = uniqueAccount();
    const meters: Meters = {
      account,
      water: uniqueSerial('W'),
      hotWater: uniqueSerial('H'),
      electricity: uniqueSerial('E'),
      doubtful: uniqueSerial('D'),
      electricity2: uniqueSerial('E'),
    };
    const base = { account_number: account, initial_on: dayFromToday(-30) };
    const electric = {
      resource: 'electricity',
      zones: '2',
      integer_digits: '6',
      fraction_digits: '1',
      verification_interval_months: '192',
      initial_t1: '012345.6',
      initial_t2: '004567.8',
    };
    await seedMeters(db, [
      registryRecord({ ...base, serial: meters.water }),
      registryRecord({
        ...base,
        serial: meters.hotWater,
        resource: 'hot_water',
        initial_t1: '00050.000',
      }),
      registryRecord({ ...base, serial: meters.doubtful }),
      registryRecord({ ...base, ...electric, serial: meters.electricity }),
      registryRecord({ ...base, ...electric, serial: meters.electricity2 }),
    ]);
    return meters;
  }

  beforeAll(async () => {
    db = await testDatabase();
    kafka = testKafka('slip-e2e');
    processor = await startProcessor();
    app = await startSlipIngest({
      SLIP_CHUNK_ROWS: String(CHUNK_ROWS),
      SLIP_MAX_ROWS: String(MAX_ROWS),
      SLIP_PROGRESS_EVERY_ROWS: '10',
    });
    centre = await addScanningCentre();
    other = await addScanningCentre();
  });

  afterAll(async () => {
    await app?.close();
    await processor?.close();
    await db?.destroy();
  });

  describe('a mixed file', () => {
    let m: Meters;
    let batchId: string;
    let file: string;
    let lines: (SlipLine | string)[];

    beforeAll(async () => {
      m = await seed();
      const qr = slipQr(m.account);
      batchId = uniqueBatchId('MIX');
      lines = [
        /* 2 */ {
          slip: 'S-1',
          qr,
          serial: m.water,
          value: '00110,500',
          confidence: '0.99',
          image: 'img/S-1.png',
        },
        /* 3 */ {
          slip: 'S-2',
          qr,
          serial: m.electricity,
          zone: 'T1',
          value: '012400.1',
          confidence: '0.97',
        },
        /* 4 */ {
          slip: 'S-2',
          qr,
          serial: m.electricity,
          zone: 'T2',
          value: '004600,0',
          confidence: '0.95',
        },
        /* 5 */ { slip: 'S-3', qr, serial: m.doubtful, value: '00105,5', confidence: '0.62' },
        /* 6 */ {
          slip: 'S-4',
          qr: 'ST00022|Name=x',
          serial: m.hotWater,
          value: '1',
          image: 'img/S-4.png',
        },
        /* 7 */ {
          slip: 'S-5',
          qr: slipQr(m.account).replace(/\|PersAcc=\d+/, ''),
          serial: m.hotWater,
          value: '1',
        },
        /* 8 */ { slip: 'S-6', qr, serial: 'NO-SUCH-METER', value: '5' },
        /* 9 */ { slip: 'S-7', qr, serial: m.hotWater, value: 'abc' },
        /* 10 */ 'S-8;garbage',
        /* 11 */ { slip: 'S-9', qr, serial: m.electricity2, zone: 'T1', value: '012350.0' },
        /* 12 */ { slip: 'S-9', qr, serial: m.electricity2, zone: 'T4', value: '004570.0' },
        /* 13 */ { slip: 'S-10', qr, serial: m.hotWater, value: '00060,250', confidence: '1' },
        /* 14 */ { slip: 'S-1', qr, serial: m.water, value: '00111,000' },
        /* 15 */ {
          slip: 'S-11',
          qr: slipQr(m.account, { header: 'ST00011' }),
          serial: 'NO-SUCH-2',
          value: '7',
        },
      ];
      file = slipFile(lines);
    });

    it('answers 202 with the counts once every queued row is in Kafka', async () => {
      const window = await TopicWindow.open(kafka, TOPICS.submitted);
      const res = await upload(file, batchId).expect(202);
      expect(res.body).toEqual({ batchId, rows: 14, queued: 7, invalid: 7 });
      // Already acknowledged by Kafka: the messages are there the moment the answer is.
      const sent = await ourMessages(window);
      expect(sent.map((s) => s.source.ref).sort()).toEqual(
        ['S-1', 'S-10', 'S-11', 'S-2', 'S-3', 'S-6'].map((slip) =>
          expect.stringMatching(`^${slip}/`),
        ),
      );
    });

    it('reports every row with its error or, once decided, its outcome', async () => {
      const rows = await decided(batchId);
      const view = Object.fromEntries(
        [...rows.values()].map((r) => [r.row, [r.status, r.error ?? r.reasons.join(',')]]),
      );
      expect(view).toEqual({
        2: ['accepted', expect.any(String)],
        3: ['accepted', expect.any(String)],
        4: ['accepted', expect.any(String)],
        5: ['needs_review', 'LOW_CONFIDENCE'],
        6: ['invalid', 'qr_payload: payload must start with ST0001'],
        7: ['invalid', 'qr_payload has no PersAcc (the account number) in its payment QR code'],
        8: ['rejected', 'UNKNOWN_METER'],
        9: ['invalid', 'value must be a non-negative decimal with at most one "," or "."'],
        10: ['invalid', 'expected 7 fields separated by ";", got 2'],
        11: ['invalid', 'another row of this slip and meter is invalid (row 12)'],
        12: ['invalid', 'zone must be one of T1, T2, T3'],
        13: ['accepted', expect.any(String)],
        14: [
          'invalid',
          `slip S-1, meter ${m.water} is already in row 2: rows of one slip and meter must be adjacent`,
        ],
        15: ['rejected', 'UNKNOWN_METER'],
      });
      expect(rows.get(2)).toMatchObject({
        slipId: 'S-1',
        meterSerial: m.water,
        zone: 'T1',
        imageRef: 'img/S-1.png',
      });
      // A row refused for one column still shows the others that are valid.
      expect(rows.get(6)).toMatchObject({
        slipId: 'S-4',
        meterSerial: m.hotWater,
        zone: 'T1',
        imageRef: 'img/S-4.png',
      });
      expect(rows.get(3)?.submissionId).toBe(rows.get(4)?.submissionId);
      const res = await report(batchId).expect(200);
      expect(res.body).toMatchObject({
        batchId,
        status: 'complete',
        rows: 14,
        queued: 7,
        invalid: 7,
        error: null,
        rowsByStatus: {
          invalid: 7,
          queued: 0,
          accepted: 4,
          rejected: 2,
          needs_review: 1,
          duplicate: 0,
        },
        nextAfter: null,
      });
    });

    it('publishes canonical paper-slip submissions: one per slip and meter, decimal commas normalised', async () => {
      const rows = await rowsOf(batchId);
      const ids = [
        ...new Set([...rows.values()].flatMap((r) => (r.submissionId ? [r.submissionId] : []))),
      ];
      const stored = new Map<string, Record<string, unknown>>(
        (await readingsOf(ids)).map((r: { source_ref: string }) => [r.source_ref, r]),
      );
      expect(stored.size).toBe(6);
      const water = stored.get(`S-1/${m.water}`);
      expect(water).toMatchObject({
        channel: 'paper-slip',
        source_id: centre.centreId,
        account_number: m.account,
        meter_serial: m.water,
        submitted_values: [{ zone: 'T1', value: '00110.500' }],
        confidence: 0.99,
      });
      // Slips carry no reading date: the time the file arrived stands for it.
      expect(water?.read_at).toEqual(water?.received_at);
      expect(stored.get(`S-2/${m.electricity}`)).toMatchObject({
        submitted_values: [
          { zone: 'T1', value: '012400.1' },
          { zone: 'T2', value: '004600.0' },
        ],
        confidence: 0.95,
        status: 'accepted',
      });
      expect(stored.get(`S-10/${m.hotWater}`)).toMatchObject({
        submitted_values: [{ zone: 'T1', value: '00060.250' }],
        confidence: 1,
      });
    });

    it('re-uploading the same file queues and stores nothing twice', async () => {
      const window = await TopicWindow.open(kafka, TOPICS.submitted);
      const before = await rowsOf(batchId);
      const res = await upload(file, batchId).expect(202);
      expect(res.body).toEqual({ batchId, rows: 14, queued: 7, invalid: 7 });
      expect(await ourMessages(window)).toEqual([]);
      const after = await rowsOf(batchId);
      expect([...after.values()].map((r) => [r.row, r.submissionId, r.status])).toEqual(
        [...before.values()].map((r) => [r.row, r.submissionId, r.status]),
      );
      const ids = [
        ...new Set([...after.values()].flatMap((r) => (r.submissionId ? [r.submissionId] : []))),
      ];
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM readings WHERE source_id = $1 AND submission_id = ANY($2::uuid[])`,
        [centre.centreId, ids],
      );
      expect(n).toBe(6);
    });

    it('a batch that repeats slips queues only what is new; repeated rows show the first outcome', async () => {
      const qr = slipQr(m.account);
      const repeatBatch = uniqueBatchId('REP');
      const window = await TopicWindow.open(kafka, TOPICS.submitted);
      const res = await upload(
        slipFile([
          { slip: 'S-2', qr, serial: m.electricity, zone: 'T1', value: '012400.1' },
          { slip: 'S-2', qr, serial: m.electricity, zone: 'T2', value: '004600,0' },
          { slip: 'S-3', qr, serial: m.doubtful, value: '00105,5', confidence: '0.62' },
          { slip: 'S-12', qr, serial: 'NO-SUCH-3', value: '9' },
        ]),
        repeatBatch,
      ).expect(202);
      expect(res.body).toEqual({ batchId: repeatBatch, rows: 4, queued: 4, invalid: 0 });
      expect((await ourMessages(window)).map((s) => s.source.ref)).toEqual(['S-12/NO-SUCH-3']);
      const rows = await decided(repeatBatch);
      expect([...rows.values()].map((r) => r.status)).toEqual([
        'accepted',
        'accepted',
        'needs_review',
        'rejected',
      ]);
      const first = await rowsOf(batchId);
      expect(rows.get(2)?.submissionId).toBe(first.get(3)?.submissionId);
    });
  });

  describe('confidence', () => {
    it('sends values below the threshold (0.9) to review, never straight to billing', async () => {
      const m = await seed();
      const qr = slipQr(m.account);
      const batchId = uniqueBatchId('CONF');
      await upload(
        slipFile([
          { slip: 'C-1', qr, serial: m.water, value: '00110,000', confidence: '0,89' },
          { slip: 'C-2', qr, serial: m.hotWater, value: '00055.000', confidence: '0.9' },
          // One doubtful zone is enough: the submission carries the lowest confidence of its rows.
          {
            slip: 'C-3',
            qr,
            serial: m.electricity,
            zone: 'T1',
            value: '012400.1',
            confidence: '0.99',
          },
          {
            slip: 'C-3',
            qr,
            serial: m.electricity,
            zone: 'T2',
            value: '004600.0',
            confidence: '0.41',
          },
          { slip: 'C-4', qr, serial: m.doubtful, value: '00101', confidence: '0' },
        ]),
        batchId,
      ).expect(202);
      const rows = await decided(batchId);
      expect([...rows.values()].map((r) => [r.row, r.status, r.reasons])).toEqual([
        [2, 'needs_review', ['LOW_CONFIDENCE']],
        [3, 'accepted', []],
        [4, 'needs_review', ['LOW_CONFIDENCE']],
        [5, 'needs_review', ['LOW_CONFIDENCE']],
        [6, 'needs_review', ['LOW_CONFIDENCE']],
      ]);
      const stored = await readingsOf([
        rows.get(2)?.submissionId,
        rows.get(4)?.submissionId,
      ] as string[]);
      expect(
        stored.map((r: { status: string; confidence: number }) => [r.status, r.confidence]).sort(),
      ).toEqual([
        ['needs_review', 0.41],
        ['needs_review', 0.89],
      ]);
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM readings
          WHERE source_id = $1 AND status = 'accepted' AND confidence < 0.9`,
        [centre.centreId],
      );
      expect(n).toBe(0);
    });
  });

  describe('an upload cut short', () => {
    it('is recorded as interrupted and can simply be sent again; nothing is queued twice', async () => {
      const batchId = uniqueBatchId('CUT');
      const account = uniqueAccount();
      const qr = slipQr(account);
      const lines = Array.from({ length: 30 }, (_, i) =>
        slipLine({ slip: `CUT-${i + 1}`, qr, serial: `CUT-METER-${i + 1}`, value: String(i) }),
      );
      const window = await TopicWindow.open(kafka, TOPICS.submitted);

      const { port } = app.getHttpServer().address() as AddressInfo;
      const partial = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/slips/batches',
        headers: {
          Authorization: basic(centre),
          'X-Batch-Id': batchId,
          'Content-Type': 'text/csv',
        },
      });
      partial.on('error', () => undefined);
      partial.write(`${SLIP_HEADER}\n${lines.slice(0, 20).join('\n')}\n`);
      await eventually(
        async () => (await report(batchId)).body.rows ?? 0,
        (rows) => rows >= 9,
        30_000,
      );
      partial.destroy();
      const cut = await eventually(
        async () => (await report(batchId)).body,
        (body) => body.status === 'interrupted',
        30_000,
      );
      expect(cut).toMatchObject({ error: 'the upload ended before the whole file arrived' });
      expect(cut.queued).toBeGreaterThanOrEqual(9);
      expect(cut.queued).toBeLessThan(30);

      const res = await upload(`${SLIP_HEADER}\n${lines.join('\n')}\n`, batchId).expect(202);
      expect(res.body).toEqual({ batchId, rows: 30, queued: 30, invalid: 0 });
      const refs = (await ourMessages(window)).map((s) => s.source.ref);
      expect(refs).toHaveLength(30);
      expect(new Set(refs).size).toBe(30);
      const rows = await decided(batchId);
      expect([...rows.values()].map((r) => r.status)).toEqual(Array(30).fill('rejected'));
      expect((await report(batchId)).body).toMatchObject({ status: 'complete', error: null });
    });

    it('a second upload of a batch while one is under way is refused with 409', async () => {
      const batchId = uniqueBatchId('BUSY');
      const { port } = app.getHttpServer().address() as AddressInfo;
      const first = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/slips/batches',
        headers: {
          Authorization: basic(centre),
          'X-Batch-Id': batchId,
          'Content-Type': 'text/csv',
        },
      });
      first.on('error', () => undefined);
      first.write(`${SLIP_HEADER}\n`);
      await eventually(
        async () => (await report(batchId)).body.status,
        (status) => status === 'receiving',
        30_000,
      );
      const busy = await upload(slipFile([]), batchId).expect(409);
      expect(busy.headers['retry-after']).toBe('5');
      expect(busy.body).toMatchObject({ error: 'BATCH_BUSY' });
      first.destroy();
      await eventually(
        async () => (await report(batchId)).body.status,
        (status) => status === 'interrupted',
        30_000,
      );
      await upload(slipFile([]), batchId).expect(202);
    });
  });

  describe('batches sharing slips, sent at once', () => {
    it('queue, store and decide each shared slip once, and every batch reports it', async () => {
      const submitted = await TopicWindow.open(kafka, TOPICS.submitted);
      const outcomes = await TopicWindow.open(kafka, TOPICS.outcomes);
      const ids = new Set<string>();
      for (let round = 0; round < 3; round += 1) {
        const m = await seed();
        const qr = slipQr(m.account);
        const file = slipFile(
          [m.water, m.hotWater, m.doubtful, m.electricity].map((serial, i) => ({
            slip: `AT-ONCE-${round}-${i}`,
            qr,
            serial,
            value: '00105,5',
          })),
        );
        const batchIds = [1, 2, 3, 4].map(() => uniqueBatchId('AT-ONCE'));
        const answers = await Promise.all(batchIds.map((batchId) => upload(file, batchId)));
        expect(answers.map((a) => [a.status, a.body])).toEqual(
          batchIds.map((batchId) => [202, { batchId, rows: 4, queued: 4, invalid: 0 }]),
        );
        const reported = await Promise.all(
          batchIds.map(async (batchId) =>
            [...(await rowsOf(batchId)).values()].map((r) => r.submissionId),
          ),
        );
        for (const r of reported) expect(r).toEqual(reported[0]);
        for (const id of reported[0]) ids.add(id as string);
      }
      expect(ids.size).toBe(12);
      const published = (await ourMessages(submitted)).map((s) => s.submissionId);
      expect(published.sort()).toEqual([...ids].sort());
      expect(await readingsOf([...ids])).toHaveLength(12);
      const decided = await eventually(
        async () =>
          (await outcomes.read())
            .map(
              (o) =>
                (JSON.parse((o.value as Buffer).toString()) as { submissionId: string })
                  .submissionId,
            )
            .filter((id) => ids.has(id)),
        (found) => new Set(found).size === ids.size,
      );
      expect(decided.sort()).toEqual([...ids].sort());
    });
  });

  describe('malformed files', () => {
    it('reports malformed lines with their numbers and queues the rest', async () => {
      const m = await seed();
      const qr = slipQr(m.account);
      const plain = slipQr(m.account, { name: 'ТСЖ Ромашка' });
      const batchId = uniqueBatchId('BAD');
      const body =
        `\uFEFF${SLIP_HEADER}\r\n` +
        /* 2 */ `${slipLine({ slip: 'M-1', qr, serial: m.water, value: '00110' })}\r\n` +
        /* 3 */ `M-2;${qr};${m.hotWater}\r\n` +
        /* 4 */ `${slipLine({ slip: 'M-3', qr, serial: m.hotWater, value: '1' })};extra\r\n` +
        /* 5 */ `\r\n` +
        /* 6 */ `M-4;"${plain};${m.hotWater};T1;1;0.99;\r\n` +
        /* 7 */ `line"s end;${plain};${m.hotWater};T1;1;0.99;\r\n` +
        /* 8 */ `M-5;"${plain}"x;${m.hotWater};T1;1;0.99;\r\n` +
        // Quoted as CSV writers quote: the payee's name has quotes, doubled inside the field.
        /* 9 */ `"M-6";"${qr.replace(/"/g, '""')}";${m.hotWater};T1;00060;0.99;\r\n` +
        /* 10 */ `${slipLine({ slip: 'M-7', qr: qr.replace('|BIC=', ';BIC='), serial: m.doubtful, value: '1' })}\r\n`;
      const res = await upload(body, batchId).expect(202);
      const rows = await rowsOf(batchId);
      expect(res.body).toEqual({ batchId, rows: 7, queued: 2, invalid: 5 });
      expect(
        [...rows.values()].map((r) => [r.row, r.status === 'invalid' ? r.error : 'queued']),
      ).toEqual([
        [2, 'queued'],
        [3, 'expected 7 fields separated by ";", got 3'],
        [4, 'expected 7 fields separated by ";", got 8'],
        [6, 'lines 6 to 7 were read as one row: a quote opened on line 6 is not closed there'],
        [8, 'qr_payload: payload must start with ST0001'],
        [9, 'queued'],
        [10, 'expected 7 fields separated by ";", got 8'],
      ]);
    });

    it.each<[string, string, number, RegExp]>([
      ['an empty body', '', 400, /^the file is empty/],
      [
        'a header separated by commas',
        'slip_id,qr_payload,meter_serial,zone,value,confidence\n',
        400,
        /columns are separated by ";"/,
      ],
      [
        'a header without confidence',
        'slip_id;qr_payload;meter_serial;zone;value\n',
        400,
        /lacks column\(s\) confidence/,
      ],
      [
        'a quote left open to the end',
        `${SLIP_HEADER}\nS-1;"ST00012;M;T1;1;1;\nS-2;x;M;T1;1;1;\n`,
        400,
        /^a quote opened on or after line 2 is never closed, so the rest of the file cannot be read$/,
      ],
    ])('refuses %s with a message naming the problem', async (_name, body, status, message) => {
      const res = await upload(body, uniqueBatchId('REF')).expect(status);
      expect(res.body).toMatchObject({
        statusCode: status,
        error: 'SLIP_FILE_INVALID',
        message: expect.stringMatching(message),
      });
    });

    it('quotes the text it refuses, so the batch records why and may be sent again at once', async () => {
      const batchId = uniqueBatchId('NUL');
      const res = await upload(`${SLIP_HEADER};x\u0000;x\u0000\n`, batchId).expect(400);
      expect((await report(batchId)).body).toMatchObject({
        status: 'failed',
        error: res.body.message,
      });
      await upload(slipFile([]), batchId).expect(202);
      expect(res.body).toMatchObject({
        error: 'SLIP_FILE_INVALID',
        message: 'the header names column "x\\u0000" twice',
      });
    });

    it(`refuses more than ${MAX_ROWS} rows with 413`, async () => {
      const batchId = uniqueBatchId('BIG');
      const qr = slipQr(uniqueAccount());
      const lines = Array.from({ length: MAX_ROWS + 1 }, (_, i) => ({
        slip: `BIG-${i}`,
        qr,
        serial: 'NO-SUCH-BIG',
        value: '1',
      }));
      const res = await upload(slipFile(lines), batchId).expect(413);
      expect(res.body).toMatchObject({
        error: 'BATCH_TOO_LARGE',
        message: `a batch file holds at most ${MAX_ROWS} rows; split the file into several batches`,
        processed: { rows: expect.any(Number) },
      });
      expect((await report(batchId)).body).toMatchObject({
        status: 'failed',
        error: res.body.message,
      });
    });
  });

  describe('requests', () => {
    it('takes the file as the field "file" of a multipart form', async () => {
      const batchId = uniqueBatchId('FORM');
      const qr = slipQr(uniqueAccount());
      const res = await http()
        .post('/v1/slips/batches')
        .set('Authorization', basic(centre))
        .set('X-Batch-Id', batchId)
        .field('note', 'run 7')
        .attach(
          'file',
          Buffer.from(slipFile([{ slip: 'F-1', qr, serial: 'NO-SUCH-F', value: '1' }])),
          {
            filename: 'run-7.csv',
            contentType: 'text/csv',
          },
        )
        .expect(202);
      expect(res.body).toEqual({ batchId, rows: 1, queued: 1, invalid: 0 });
    });

    it('reads lines ending in CRLF, LF and CR, mixed, row by row', async () => {
      const batchId = uniqueBatchId('EOL');
      const qr = slipQr(uniqueAccount());
      const line = (slip: string) => slipLine({ slip, qr, serial: `NO-SUCH-${slip}`, value: '1' });
      const body =
        `${SLIP_HEADER}\r\n${line('E-1')}\n${line('E-2')}\n` +
        `${line('E-3')}\r${line('E-4')}\r\n${line('E-5')}\n`;
      const res = await upload(body, batchId).expect(202);
      expect(res.body).toEqual({ batchId, rows: 5, queued: 5, invalid: 0 });
      expect([...(await rowsOf(batchId)).values()].map((r) => [r.row, r.slipId])).toEqual([
        [2, 'E-1'],
        [3, 'E-2'],
        [4, 'E-3'],
        [5, 'E-4'],
        [6, 'E-5'],
      ]);
    });

    it('refuses a multipart form without the field "file"', async () => {
      const res = await http()
        .post('/v1/slips/batches')
        .set('Authorization', basic(centre))
        .set('X-Batch-Id', uniqueBatchId('FORM'))
        .attach('upload', Buffer.from(slipFile([])), 'run.csv')
        .expect(400);
      expect(res.body).toMatchObject({
        error: 'SLIP_FILE_INVALID',
        message: 'the multipart form has no field "file"',
      });
    });

    it.each<[string, (r: request.Test) => request.Test, number, string]>([
      ['no credentials', (r) => r, 401, ''],
      [
        'a wrong password',
        (r) => r.set('Authorization', basic({ login: 'x', password: 'y' })),
        401,
        '',
      ],
      [
        'no X-Batch-Id',
        (r) => r.set('Authorization', basic(centre)).set('Content-Type', 'text/csv'),
        400,
        'BATCH_ID_INVALID',
      ],
      [
        'an X-Batch-Id with a slash',
        (r) =>
          r
            .set('Authorization', basic(centre))
            .set('X-Batch-Id', 'a/b')
            .set('Content-Type', 'text/csv'),
        400,
        'BATCH_ID_INVALID',
      ],
      [
        'JSON',
        (r) =>
          r
            .set('Authorization', basic(centre))
            .set('X-Batch-Id', 'J-1')
            .set('Content-Type', 'application/json'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'CSV in windows-1251',
        (r) =>
          r
            .set('Authorization', basic(centre))
            .set('X-Batch-Id', 'J-2')
            .set('Content-Type', 'text/csv; charset=windows-1251'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'a multipart form without a boundary',
        (r) =>
          r
            .set('Authorization', basic(centre))
            .set('X-Batch-Id', 'J-3')
            .set('Content-Type', 'multipart/form-data'),
        400,
        'SLIP_FILE_INVALID',
      ],
    ])('refuses %s', async (_name, prepare, status, error) => {
      const res = await prepare(http().post('/v1/slips/batches')).send(slipFile([])).expect(status);
      if (status === 401)
        expect(res.headers['www-authenticate']).toMatch(/^Basic realm="slip-ingest"/);
      else expect(res.body).toMatchObject({ statusCode: status, error });
    });

    it('tells missing credentials from a wrong login or password, without saying which is wrong', async () => {
      const MISSING =
        'missing scanning centre credentials: send its login and password by HTTP Basic';
      const WRONG = 'wrong scanning centre login or password';
      const cases: [string, string | undefined, string][] = [
        ['no Authorization', undefined, MISSING],
        ['a bearer token', 'Bearer abc', MISSING],
        ['Basic without a login', `Basic ${Buffer.from(':pw').toString('base64')}`, MISSING],
        ['an unknown login', basic({ login: `NOBODY-${centre.login}`, password: 'x' }), WRONG],
        ['a wrong password', basic({ ...centre, password: `${centre.password}x` }), WRONG],
      ];
      const answers = [];
      for (const [name, authorization] of cases) {
        const req = http().get('/v1/slips/batches/NONE');
        const res = await (authorization ? req.set('Authorization', authorization) : req);
        answers.push([name, res.status, res.body.message]);
      }
      expect(answers).toEqual(cases.map(([name, , message]) => [name, 401, message]));
    });

    it('refuses a compressed file with 415 naming its Content-Encoding, and records no batch', async () => {
      const batchId = uniqueBatchId('GZIP');
      const qr = slipQr(uniqueAccount());
      const res = await http()
        .post('/v1/slips/batches')
        .set('Authorization', basic(centre))
        .set('X-Batch-Id', batchId)
        .set('Content-Type', 'text/csv')
        .set('Content-Encoding', 'gzip')
        .serialize((data) => data)
        .send(gzipSync(slipFile([{ slip: 'Z-1', qr, serial: 'NO-SUCH-Z', value: '1' }])))
        .expect(415);
      expect(res.body).toMatchObject({
        error: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'Content-Encoding "gzip" is not supported: send the file uncompressed',
      });
      await report(batchId).expect(404);
    });

    it('refuses a file in windows-1251 with 400 naming UTF-8, instead of refusing its rows one by one', async () => {
      const batchId = uniqueBatchId('CP1251');
      const file = slipFile([
        { slip: 'W-1', qr: slipQr(uniqueAccount()), serial: 'NO-SUCH-W', value: '1' },
      ]);
      // Cyrillic А to я are the bytes C0 to FF in windows-1251; the rest of the file is ASCII.
      const cp1251 = Buffer.from(
        [...file].map((c) => (/[А-я]/.test(c) ? c.charCodeAt(0) - 0x350 : c.charCodeAt(0))),
      );
      const res = await http()
        .post('/v1/slips/batches')
        .set('Authorization', basic(centre))
        .set('X-Batch-Id', batchId)
        .set('Content-Type', 'text/csv')
        .send(cp1251)
        .expect(400);
      expect(res.body).toMatchObject({
        error: 'SLIP_FILE_INVALID',
        message: 'the file is not UTF-8: save it as UTF-8 and send it again',
      });
      expect((await report(batchId)).body).toMatchObject({ status: 'failed', queued: 0 });
    });

    it('refuses a multipart form with more than one field "file"', async () => {
      const batchId = uniqueBatchId('FORM');
      const qr = slipQr(uniqueAccount());
      const file = (slip: string) =>
        Buffer.from(slipFile([{ slip, qr, serial: 'NO-SUCH-D', value: '1' }]));
      const res = await http()
        .post('/v1/slips/batches')
        .set('Authorization', basic(centre))
        .set('X-Batch-Id', batchId)
        .attach('file', file('D-1'), 'a.csv')
        .attach('file', file('D-2'), 'b.csv')
        .expect(400);
      expect(res.body).toMatchObject({
        error: 'SLIP_FILE_INVALID',
        message: 'the multipart form has more than one field "file"',
      });
      expect((await report(batchId)).body).toMatchObject({
        status: 'failed',
        error: res.body.message,
      });
    });

    it('a shorter file sent again under the same batch id leaves only its own rows', async () => {
      const batchId = uniqueBatchId('SHORT');
      const qr = slipQr(uniqueAccount());
      const lines = ['R-1', 'R-2', 'R-3'].map((slip) => ({
        slip,
        qr,
        serial: 'NO-SUCH-R',
        value: '1',
      }));
      await upload(slipFile(lines), batchId).expect(202);
      const res = await upload(slipFile(lines.slice(0, 2)), batchId).expect(202);
      expect(res.body).toEqual({ batchId, rows: 2, queued: 2, invalid: 0 });
      expect([...(await rowsOf(batchId)).values()].map((r) => r.slipId)).toEqual(['R-1', 'R-2']);
    });

    it('shows a batch only to the centre that sent it, page by page', async () => {
      const batchId = uniqueBatchId('PAGE');
      const qr = slipQr(uniqueAccount());
      await upload(
        slipFile([
          { slip: 'P-1', qr, serial: 'NO-SUCH-P', value: '1' },
          { slip: 'P-2', qr, serial: 'NO-SUCH-P', value: 'x' },
          { slip: 'P-3', qr, serial: 'NO-SUCH-P', value: '3' },
          { slip: 'P-4', qr, serial: 'NO-SUCH-P', value: 'y' },
          { slip: 'P-5', qr, serial: 'NO-SUCH-P', value: '5' },
        ]),
        batchId,
      ).expect(202);
      await report(batchId, '', other).expect(404);
      await report('NO-SUCH-BATCH').expect(404);
      await http().get(`/v1/slips/batches/${batchId}`).expect(401);

      const first = await report(batchId, '?limit=2').expect(200);
      expect(first.body.items.map((r: RowView) => r.row)).toEqual([2, 3]);
      expect(first.body.nextAfter).toBe(3);
      const second = await report(batchId, '?limit=2&after=3').expect(200);
      expect(second.body.items.map((r: RowView) => r.row)).toEqual([4, 5]);
      const last = await report(batchId, '?limit=2&after=5').expect(200);
      expect(last.body.items.map((r: RowView) => r.row)).toEqual([6]);
      expect(last.body.nextAfter).toBeNull();
      // A full last page ends the listing too.
      const fullLast = await report(batchId, '?limit=1&after=5').expect(200);
      expect(fullLast.body.items.map((r: RowView) => r.row)).toEqual([6]);
      expect(fullLast.body.nextAfter).toBeNull();
      const invalid = await report(batchId, '?status=invalid').expect(200);
      expect(invalid.body.items.map((r: RowView) => [r.row, r.slipId])).toEqual([
        [3, 'P-2'],
        [5, 'P-4'],
      ]);
      await report(batchId, '?limit=0').expect(400);
      await report(batchId, '?status=lost').expect(400);
      // Row numbers are PostgreSQL integers: beyond them `after` is refused, not a database error.
      // Numbers in digits only: Number() would read `1e3` as 1000, `0x10` as 16 and `` as 0.
      for (const after of ['1e3', '0x10', '%205', '5.0', '-0', '', '3000000000', '1e20'])
        expect((await report(batchId, `?after=${after}`).expect(400)).body.message).toEqual([
          'after must be a whole number 0 to 2147483647, written in digits',
        ]);
      expect((await report(batchId, '?limit=1e3').expect(400)).body.message).toEqual([
        'limit must be a whole number 1 to 5000, written in digits',
      ]);
      await report(batchId, '?after=2147483647').expect(200);
    });
  });

  describe('operations', () => {
    it('`ctl scanner add` prints the credentials once; adding again replaces the password', async () => {
      const centreId = `SC-${process.env.E2E_RUN_ID}-again`;
      const firstLogin = await addScanningCentre(centreId);
      expect(firstLogin).toEqual({ centreId, login: centreId, password: expect.any(String) });
      await report('NONE', '', firstLogin).expect(404);
      const secondLogin = await addScanningCentre(centreId);
      await report('NONE', '', firstLogin).expect(401);
      await report('NONE', '', secondLogin).expect(404);
      const [row] = await db.query(
        'SELECT password_hash FROM scanning_centres WHERE centre_id = $1',
        [centreId],
      );
      expect(row.password_hash).toMatch(/^scrypt\$/);
      expect(row.password_hash).not.toContain(secondLogin.password);
    });

    it('hashes a centre password once for a run of status polls, and a repeated wrong one once', async () => {
      const polling = await addScanningCentre();
      const before = await scryptRuns();
      for (let i = 0; i < 10; i += 1) await report('NONE', '', polling).expect(404);
      for (let i = 0; i < 10; i += 1)
        await report('NONE', '', { ...polling, password: 'wrong' }).expect(401);
      expect((await scryptRuns()) - before).toBe(2);
    });

    it('serves health, metrics with upload progress, and the OpenAPI document', async () => {
      await eventually(
        async () => (await http().get('/health/ready')).status,
        (status) => status === 200,
      );
      const metrics = await http().get('/metrics').expect(200);
      for (const name of [
        'slip_rows_parsed_total',
        'slip_rows_queued_total',
        'slip_rows_invalid_total',
        'slip_submissions_published_total',
      ])
        expect(metrics.text).toMatch(new RegExp(`^${name} [1-9]`, 'm'));
      const docs = await http().get('/docs-json').expect(200);
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining(['/v1/slips/batches', '/v1/slips/batches/{batchId}']),
      );
      expect(Object.keys(docs.body.paths['/v1/slips/batches'].post.requestBody.content)).toEqual([
        'text/csv',
        'multipart/form-data',
      ]);
    });

    it('documents every status the upload and the batch report answer with', async () => {
      const docs = await http().get('/docs-json').expect(200);
      const documented = (path: string, method: string) =>
        Object.keys(docs.body.paths[path][method].responses).sort();
      expect(documented('/v1/slips/batches', 'post')).toEqual([
        '202',
        '400',
        '401',
        '409',
        '413',
        '415',
        '429',
        '503',
      ]);
      expect(documented('/v1/slips/batches/{batchId}', 'get')).toEqual([
        '200',
        '400',
        '401',
        '404',
        '429',
      ]);
    });
  });
});
