import type { INestApplication } from '@nestjs/common';
import { submissionId, TOPICS } from '@gw/contracts';
import { addMonths, DAY_MS, formatDate, formatPeriod, moscowDate, toMoscowIso } from '@gw/domain';
import { DEVELOPMENT_SECRETS, keyId } from '@gw/platform';
import type { Kafka } from 'kafkajs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { registryRecord, seedMeters, uniqueAccount, uniqueSerial } from '../support/factories';
import { eventually, testDatabase, testGroup, testKafka } from '../support/infra';
import { startProcessor } from '../support/processor';
import {
  addKiosk,
  committedPast,
  getSubmission,
  type Kiosk,
  LiveTap,
  postBatch,
  startGateway,
} from './kiosk-harness';

/**
 * Readings are stamped with the server's clock, so the scenario is built around now: `READ_AT`
 * is two hours ago, and the processor's submission window is set so that every meter but heat
 * is inside it on that day (heat meters are outside it, for OUTSIDE_WINDOW).
 */
const NOW = Date.now();
const READ_AT = new Date(NOW - 2 * 3600_000);
const day = (offsetDays: number) => formatDate(moscowDate(new Date(NOW + offsetDays * DAY_MS)));
const readDate = moscowDate(READ_AT);
const WINDOWS = {
  [formatPeriod(readDate.year, readDate.month)]: {
    '*': { openDay: 1, closeDay: 31 },
    heat:
      readDate.day === 1
        ? { openDay: 2, closeDay: 31 }
        : { openDay: 1, closeDay: readDate.day - 1 },
  },
};
const meterRow = (overrides: Record<string, string> = {}) =>
  registryRecord({
    installed_on: day(-400),
    verified_on: day(-400),
    initial_on: day(-30),
    ...overrides,
  });

interface Item {
  seq: number;
  accountNumber: string;
  meterSerial: string;
  values: { zone: string; value: string }[];
  readAt: string;
}

describe('kiosk-gateway: signed batches through real Kafka and PostgreSQL', () => {
  let kafka: Kafka;
  let db: DataSource;
  let processor: INestApplication;
  let gateway: INestApplication;
  let kiosk: Kiosk;
  let other: Kiosk;
  let batches = 0;

  const batchId = () => `b-${process.env.E2E_RUN_ID}-${(batches += 1)}`;
  const item = (seq: number, account: string, serial: string, change: Partial<Item> = {}) => ({
    seq,
    accountNumber: account,
    meterSerial: serial,
    values: [{ zone: 'T1', value: '00110.500' }],
    readAt: toMoscowIso(READ_AT),
    ...change,
  });
  const stored = async (ids: string[]) =>
    db.query(
      `SELECT submission_id, channel, source_id, source_ref, status, reasons, warnings, t1::text, received_at, decided_at
         FROM readings WHERE submission_id = ANY($1::uuid[]) ORDER BY submission_id`,
      [ids],
    );
  const storedAll = (ids: string[]) =>
    eventually(
      () => stored(ids),
      (rows) => rows.length === ids.length,
    );

  beforeAll(async () => {
    kafka = testKafka();
    db = await testDatabase();
    processor = await startProcessor({ SUBMISSION_WINDOW_OVERRIDES: JSON.stringify(WINDOWS) });
    gateway = await startGateway();
    kiosk = await addKiosk();
    other = await addKiosk();
  });

  afterAll(async () => {
    await gateway?.close();
    await processor?.close();
    await db?.destroy();
  });

  it('serves health, metrics and its OpenAPI document generated from the code', async () => {
    const http = request(gateway.getHttpServer());
    await http.get('/health/live').expect(200);
    await eventually(
      async () => (await http.get('/health/ready')).status,
      (status) => status === 200,
    );
    await http.get('/metrics').expect(200);
    await http.get('/docs').expect(200);
    const { body } = await http.get('/docs-json').expect(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/v1/kiosk/readings', '/v1/kiosk/submissions/{submissionId}']),
    );
    const post = body.paths['/v1/kiosk/readings'].post;
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['202', '400', '401', '413', '415', '429', '503']),
    );
    // The per-address gate refuses before the kiosk's own rate is looked at.
    expect(post.responses['429'].description).toContain('TOO_MANY_REQUESTS');
    expect(post.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['X-Kiosk-Id', 'X-Timestamp', 'X-Nonce', 'X-Signature']),
    );
    expect(body.components.schemas.KioskReadingDto.required).toEqual(
      expect.arrayContaining(['seq', 'accountNumber', 'meterSerial', 'values', 'readAt']),
    );
    // What the validation takes (contract 7.1 and section 2), so generated clients check the same.
    const { seq, readAt } = body.components.schemas.KioskReadingDto.properties;
    expect({ seq, readAt }).toEqual({
      seq: expect.objectContaining({
        type: 'integer',
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
      }),
      readAt: expect.objectContaining({
        type: 'string',
        format: 'date-time',
        description: 'RFC 3339 with an offset within ±14:00, years 2000 to 2099',
      }),
    });
  });

  it('registers kiosks with `ctl kiosk add`, storing the secret sealed, never in the clear', async () => {
    expect(kiosk.secret).toMatch(/^[\w-]{43}$/);
    const [row] = await db.query('SELECT sealed_secret FROM kiosks WHERE kiosk_id = $1', [
      kiosk.kioskId,
    ]);
    // Sealed with the key ctl has, named by its id: the development key in the tests.
    expect(row.sealed_secret).toMatch(
      new RegExp(`^v2\\.${keyId(DEVELOPMENT_SECRETS.KIOSK_SECRET_KEY)}\\.`),
    );
    expect(row.sealed_secret).not.toContain(kiosk.secret);
  });

  it('ends a signed batch as the right outcome for each reason code, shown to the kiosk for its receipt', async () => {
    const cases: {
      name: string;
      row?: Record<string, string>;
      item: (meter: { account: string; serial: string }) => Partial<Item>;
      status: string;
      reasons: string[];
      warnings: string[];
    }[] = [
      {
        name: 'accepted, with a decimal comma',
        item: () => ({ values: [{ zone: 'T1', value: '00110,500' }] }),
        status: 'accepted',
        reasons: [],
        warnings: [],
      },
      {
        name: 'UNKNOWN_ACCOUNT',
        item: () => ({ accountNumber: uniqueAccount() }),
        status: 'rejected',
        reasons: ['UNKNOWN_ACCOUNT'],
        warnings: [],
      },
      {
        name: 'UNKNOWN_METER',
        item: () => ({ meterSerial: uniqueSerial('NONE') }),
        status: 'rejected',
        reasons: ['UNKNOWN_METER'],
        warnings: [],
      },
      {
        name: 'METER_DECOMMISSIONED',
        row: { decommissioned_on: day(-10) },
        item: () => ({}),
        status: 'rejected',
        reasons: ['METER_DECOMMISSIONED'],
        warnings: [],
      },
      {
        name: 'VERIFICATION_EXPIRED',
        row: { verification_interval_months: '12' },
        item: () => ({}),
        status: 'rejected',
        reasons: ['VERIFICATION_EXPIRED'],
        warnings: [],
      },
      {
        name: 'ZONES_MISMATCH',
        item: () => ({
          values: [
            { zone: 'T1', value: '110' },
            { zone: 'T2', value: '1' },
          ],
        }),
        status: 'rejected',
        reasons: ['ZONES_MISMATCH'],
        warnings: [],
      },
      {
        name: 'VALUE_FORMAT',
        item: () => ({ values: [{ zone: 'T1', value: '123456.000' }] }),
        status: 'rejected',
        reasons: ['VALUE_FORMAT'],
        warnings: [],
      },
      {
        name: 'VALUE_DECREASED',
        row: { initial_t1: '00500.000' },
        item: () => ({ values: [{ zone: 'T1', value: '00400.000' }] }),
        status: 'rejected',
        reasons: ['VALUE_DECREASED'],
        warnings: [],
      },
      {
        name: 'READ_IN_FUTURE',
        item: () => ({ readAt: toMoscowIso(new Date(NOW + 10 * 60_000)) }),
        status: 'rejected',
        reasons: ['READ_IN_FUTURE'],
        warnings: [],
      },
      {
        name: 'READ_TOO_OLD',
        row: { initial_on: day(-200) },
        item: () => ({ readAt: toMoscowIso(new Date(NOW - 100 * DAY_MS)) }),
        status: 'rejected',
        reasons: ['READ_TOO_OLD'],
        warnings: [],
      },
      {
        name: 'CONSUMPTION_SPIKE',
        item: () => ({ values: [{ zone: 'T1', value: '00300.000' }] }),
        status: 'needs_review',
        reasons: ['CONSUMPTION_SPIKE'],
        warnings: [],
      },
      {
        name: 'VERIFICATION_DUE_SOON',
        row: {
          verified_on: formatDate(addMonths(moscowDate(new Date(NOW + 10 * DAY_MS)), -12)),
          verification_interval_months: '12',
        },
        item: () => ({}),
        status: 'accepted',
        reasons: [],
        warnings: ['VERIFICATION_DUE_SOON'],
      },
      {
        name: 'ROLLOVER',
        row: { initial_t1: '99998.000' },
        item: () => ({ values: [{ zone: 'T1', value: '00003.000' }] }),
        status: 'accepted',
        reasons: [],
        warnings: ['ROLLOVER'],
      },
      {
        name: 'OUTSIDE_WINDOW',
        row: { resource: 'heat' },
        item: () => ({}),
        status: 'accepted',
        reasons: [],
        warnings: ['OUTSIDE_WINDOW'],
      },
    ];
    const meters = await seedMeters(
      db,
      cases.map((c) => meterRow(c.row)),
    );
    const [owner, stranger, twice] = await seedMeters(db, [meterRow(), meterRow(), meterRow()]);
    const items = cases.map((c, i) =>
      item(i + 1, meters[i].accountNumber, meters[i].serial, {
        ...c.item({ account: meters[i].accountNumber, serial: meters[i].serial }),
      }),
    );
    const expected = cases.map(({ name, status, reasons, warnings }) => ({
      name,
      status,
      reasons,
      warnings,
    }));
    items.push(item(items.length + 1, stranger.accountNumber, owner.serial));
    expected.push({
      name: 'METER_NOT_ON_ACCOUNT',
      status: 'rejected',
      reasons: ['METER_NOT_ON_ACCOUNT'],
      warnings: [],
    });
    items.push(item(items.length + 1, twice.accountNumber, twice.serial));
    expected.push({ name: 'first of two', status: 'accepted', reasons: [], warnings: [] });
    items.push(item(items.length + 1, twice.accountNumber, twice.serial));
    expected.push({ name: 'duplicate', status: 'duplicate', reasons: [], warnings: [] });
    const invalid = { ...item(items.length + 1, 'not-digits', owner.serial) };
    const id = batchId();

    const { body } = await postBatch(gateway, kiosk, {
      batchId: id,
      items: [...items, invalid],
    }).expect(202);

    expect(body.batchId).toBe(id);
    expect(body.items).toHaveLength(items.length + 1);
    expect(body.items.at(-1)).toEqual({
      seq: invalid.seq,
      status: 'invalid',
      errors: ['accountNumber must be a string of 10 digits'],
    });
    const queued = body.items.slice(0, -1);
    queued.forEach((answer: { seq: number; submissionId: string; status: string }, i: number) =>
      expect(answer).toEqual({
        seq: items[i].seq,
        status: 'queued',
        submissionId: submissionId({
          channel: 'kiosk',
          sourceId: kiosk.kioskId,
          sourceRef: `${id}/${items[i].seq}`,
          meterSerial: items[i].meterSerial,
        }),
      }),
    );
    const ids: string[] = queued.map((answer: { submissionId: string }) => answer.submissionId);
    await storedAll(ids);

    const receipts = [];
    for (const submission of ids) {
      receipts.push((await getSubmission(gateway, kiosk, submission).expect(200)).body);
    }
    expect(
      receipts.map((r, i) => ({
        name: expected[i].name,
        status: r.status,
        reasons: r.reasons,
        warnings: r.warnings,
      })),
    ).toEqual(expected);
    expect(receipts[0]).toEqual({
      submissionId: ids[0],
      channel: 'kiosk',
      status: 'accepted',
      reasons: [],
      warnings: [],
      accountNumber: meters[0].accountNumber,
      meterSerial: meters[0].serial,
      billingPeriod: formatPeriod(readDate.year, readDate.month),
      values: [{ zone: 'T1', value: '00110.500' }],
      readAt: toMoscowIso(READ_AT),
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+03:00$/),
    });
    const receivedAt = Date.parse(receipts[0].receivedAt);
    expect(receivedAt).toBeGreaterThanOrEqual(NOW - 1000);
    expect(receivedAt).toBeLessThanOrEqual(Date.now());

    const [row] = await stored([ids[0]]);
    expect(row).toMatchObject({
      channel: 'kiosk',
      source_id: kiosk.kioskId,
      source_ref: `${id}/1`,
      t1: '110.500000',
    });
    const notQueued = await db.query('SELECT 1 FROM readings WHERE source_ref = $1', [
      `${id}/${invalid.seq}`,
    ]);
    expect(notQueued).toHaveLength(0);
  });

  it('gives a retried batch the same submission ids and stores nothing twice', async () => {
    const meters = await seedMeters(db, [meterRow(), meterRow(), meterRow()]);
    const batch = {
      batchId: batchId(),
      items: meters.map((m, i) => item(i + 1, m.accountNumber, m.serial)),
    };
    const submitted = await LiveTap.open(kafka, TOPICS.submitted);
    try {
      const first = await postBatch(gateway, kiosk, batch).expect(202);
      const ids: string[] = first.body.items.map((i: { submissionId: string }) => i.submissionId);
      const before = await storedAll(ids);

      const retry = await postBatch(gateway, kiosk, batch).expect(202);
      expect(retry.body).toEqual(first.body);
      const published = await eventually(
        async () => submitted.of(ids),
        (found) => found.length === ids.length * 2,
      );
      await eventually(
        () => committedPast(kafka, testGroup('reading-processor'), TOPICS.submitted, published),
        (done) => done,
      );
      expect(await stored(ids)).toEqual(before);
      expect(published.map((m) => m.key)).toEqual(
        expect.arrayContaining(meters.map((m) => m.accountNumber)),
      );
      expect(published[0].value).toMatchObject({
        schema: 'meter-reading-submitted/1',
        channel: 'kiosk',
        source: { id: kiosk.kioskId, ref: expect.stringMatching(`^${batch.batchId}/[123]$`) },
        confidence: null,
        receivedAt: expect.stringMatching(/\+03:00$/),
      });
    } finally {
      await submitted.close();
    }
  });

  it('stores the readings of a batch whose id is 128 emoji (256 UTF-16 units)', async () => {
    const [meter] = await seedMeters(db, [meterRow()]);
    const { body } = await postBatch(gateway, kiosk, {
      // The kiosk is this run's own, so its submission ids are too.
      batchId: '😀'.repeat(128),
      items: [item(1, meter.accountNumber, meter.serial)],
    }).expect(202);
    const [row] = await storedAll([body.items[0].submissionId]);
    expect(row).toMatchObject({ status: 'accepted', t1: '110.500000' });
  });

  it('queues the largest batch the contract allows, though its records are more than one batch Kafka takes', async () => {
    // 1000 items of one account (one partition), every field as long as it may be: a body of some
    // 430 KB makes 1000 records of some 1.2 KB each (each repeats the batch id in source.ref),
    // more than the 1 MiB the broker takes in one record batch.
    const [meter] = await seedMeters(db, [meterRow()]);
    const items = Array.from({ length: 1000 }, (_, i) =>
      item(Number.MAX_SAFE_INTEGER - i, meter.accountNumber, '~'.repeat(32), {
        values: ['T1', 'T2', 'T3'].map((zone) => ({ zone, value: '9'.repeat(64) })),
        readAt: '2026-11-20T10:15:00.123456789-14:00',
      }),
    );
    const id = batchId();
    const submitted = await LiveTap.open(kafka, TOPICS.submitted);
    try {
      const { body } = await postBatch(gateway, kiosk, {
        // 128 characters, the most allowed, nearly all of them four bytes in UTF-8.
        batchId: id + '😀'.repeat(128 - id.length),
        items,
      }).expect(202);
      const ids: string[] = body.items.map((i: { submissionId: string }) => i.submissionId);
      expect(body.items.filter((i: { status: string }) => i.status === 'queued')).toHaveLength(
        1000,
      );
      const published = await eventually(
        async () => new Set(submitted.of(ids).map((m) => m.value?.submissionId)),
        (found) => found.size === ids.length,
      );
      expect(published.size).toBe(1000);
    } finally {
      await submitted.close();
    }
  });

  it("answers 404 to a kiosk asking for another kiosk's submission, and for unknown ids", async () => {
    const [meter] = await seedMeters(db, [meterRow()]);
    const { body } = await postBatch(gateway, kiosk, {
      batchId: batchId(),
      items: [item(1, meter.accountNumber, meter.serial)],
    }).expect(202);
    const [{ submissionId: id }] = body.items;
    await storedAll([id]);

    await getSubmission(gateway, kiosk, id).expect(200);
    const stolen = await getSubmission(gateway, other, id).expect(404);
    expect(stolen.body.message).toContain('no submission');
    await getSubmission(gateway, kiosk, '00000000-0000-5000-8000-000000000000').expect(404);
    await getSubmission(gateway, kiosk, 'not-a-uuid').expect(404);
  });

  it('answers 404 until the processor has recorded a submission', async () => {
    const id = submissionId({
      channel: 'kiosk',
      sourceId: kiosk.kioskId,
      sourceRef: 'never-sent/1',
      meterSerial: 'X-1',
    });
    await getSubmission(gateway, kiosk, id).expect(404);
  });
});
