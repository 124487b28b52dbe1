import type { INestApplication } from '@nestjs/common';
import {
  DLQ_HEADERS,
  parseTraceparent,
  type PartnerReadingMessage,
  type SubmissionMessage,
  submissionId,
  TOPICS,
} from '@gw/contracts';
import { PARTNER_SOURCE_ID, type PartnerMapping } from '@gw/domain';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { PublishOutboundReadingsUseCase } from '../../apps/mosenergosbyt-feed/src/publish-outbound-readings.use-case';
import { headerBytes, RawHeaderTap } from '../messaging/raw-header-tap';
import { registryRecord, seedMeters, submission } from '../support/factories';
import {
  eventually,
  groupLag,
  testDatabase,
  testGroup,
  testKafka,
  TopicTap,
} from '../support/infra';
import { startProcessor } from '../support/processor';
import { refuseToStore } from '../support/refuse-to-store';
import { ctl } from './ctl';
import { FEED_GROUP, startFeed, startGroupAtEnd } from './feed';
import {
  electricityRecord,
  moscowAt,
  moscowDay,
  partnerDate,
  partnerIds,
  partnerMessage,
  seedPartnerMap,
} from './partner-factories';

const PROCESSOR_GROUP = testGroup('mosenergosbyt-processor');

interface StoredReading {
  submission_id: string;
  channel: string;
  source_id: string;
  source_ref: string;
  account_number: string;
  meter_serial: string;
  status: string;
  reasons: string[];
  t1: string | null;
  t2: string | null;
  t3: string | null;
  read_at: Date;
}

describe('mosenergosbyt-feed through real Kafka and PostgreSQL', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let processor: INestApplication;
  let feed: INestApplication;
  let outbound: TopicTap;
  let dlq: TopicTap;

  const sendPartner = (
    messages: (PartnerReadingMessage | { key: string | null; value: string | Buffer })[],
  ) =>
    producer.send({
      topic: TOPICS.partnerReadings,
      acks: -1,
      messages: messages.map((m) =>
        'msgId' in m ? { key: m.lsMes, value: JSON.stringify(m) } : m,
      ),
    });

  const sendSubmissions = (messages: SubmissionMessage[], headers: Record<string, string> = {}) =>
    producer.send({
      topic: TOPICS.submitted,
      acks: -1,
      messages: messages.map((m) => ({ key: m.accountNumber, value: JSON.stringify(m), headers })),
    });

  /** The stored readings of `msgIds`, in the order of `msgIds`. */
  const partnerReadings = (msgIds: string[]): Promise<StoredReading[]> =>
    db.query(
      `SELECT submission_id, channel, source_id, source_ref, account_number, meter_serial, status, reasons,
              t1::text, t2::text, t3::text, read_at
         FROM readings WHERE channel = 'mosenergosbyt' AND source_ref = ANY($1::varchar[])
        ORDER BY array_position($1::varchar[], source_ref)`,
      [msgIds],
    );

  const decided = (msgIds: string[]) =>
    eventually(
      () => partnerReadings(msgIds),
      (rows) => rows.length === msgIds.length,
    );

  /** Everything published so far went through the feed and then the processor. */
  const settled = () =>
    eventually(
      async () => [
        await groupLag(kafka, FEED_GROUP, TOPICS.partnerReadings),
        await groupLag(kafka, PROCESSOR_GROUP, TOPICS.submitted),
        await groupLag(kafka, FEED_GROUP, TOPICS.outcomes),
      ],
      (lags) => lags.every((lag) => lag === 0),
      30000,
      250,
    );

  const mapped = async (record = electricityRecord()): Promise<PartnerMapping> => {
    const [meter] = await seedMeters(db, [record]);
    const mapping = { ...partnerIds(), accountNumber: meter.accountNumber, serial: meter.serial };
    await seedPartnerMap(db, [mapping]);
    return mapping;
  };

  /** A reading of one of our electricity meters, read on the month's first day at `hour`. */
  const ourReading = (
    meter: { accountNumber: string; serial: string },
    hour: number,
    [t1, t2]: [string, string],
    channel: 'cabinet' | 'kiosk' = 'cabinet',
  ) =>
    submission({
      channel,
      accountNumber: meter.accountNumber,
      meterSerial: meter.serial,
      readAt: moscowAt(moscowDay(1), hour, 0),
      receivedAt: moscowAt(moscowDay(1), hour, 1),
      values: [
        { zone: 'T1', value: t1 },
        { zone: 'T2', value: t2 },
      ],
    });

  const accepted = (submissionId: string) =>
    eventually(
      () => db.query(`SELECT status FROM readings WHERE submission_id = $1`, [submissionId]),
      (rows: { status: string }[]) => rows[0]?.status === 'accepted',
    );

  /** Runs `work` beside a feed whose release check runs only when the test calls it. */
  const releasingByHand = async (work: () => Promise<void>, env: Record<string, string> = {}) => {
    await feed.close();
    feed = await startFeed({ MOSENERGOSBYT_RELEASE_INTERVAL_MS: '3600000', ...env });
    try {
      await work();
    } finally {
      await feed.close();
      feed = await startFeed();
    }
  };

  /**
   * Maps `meter` to a new partner pair, runs the release check the interval would run now, and
   * returns the msgIds of the `count` messages then sent for the pair, in the order sent.
   */
  const mapAndRelease = async (meter: { accountNumber: string; serial: string }, count: number) => {
    const ids = { ...partnerIds(), accountNumber: meter.accountNumber, serial: meter.serial };
    await seedPartnerMap(db, [ids]);
    await feed.get(PublishOutboundReadingsUseCase).releasePending();
    const sent = await outbound.waitFor<PartnerReadingMessage>(
      (all) => all.filter((m) => m.counterNo === ids.partnerMeter),
      count,
      10000,
    );
    return sent.map((m) => m.msgId);
  };

  beforeAll(async () => {
    kafka = testKafka();
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    db = await testDatabase();
    [outbound, dlq] = await Promise.all([
      TopicTap.open(kafka, TOPICS.partnerOutbound),
      TopicTap.open(kafka, TOPICS.partnerReadingsDlq),
      startGroupAtEnd(kafka, PROCESSOR_GROUP, [TOPICS.submitted]),
      startGroupAtEnd(kafka, FEED_GROUP, [TOPICS.partnerReadings, TOPICS.outcomes]),
    ]);
    processor = await startProcessor({ PROCESSOR_GROUP_ID: PROCESSOR_GROUP });
    feed = await startFeed();
  });

  afterAll(async () => {
    await feed?.close();
    await processor?.close();
    await outbound?.close();
    await dlq?.close();
    await producer?.disconnect();
    await db?.destroy();
  });

  it('turns partner messages into accepted readings of the mapped meters', async () => {
    const twoZones = await mapped();
    const threeZones = await mapped(
      electricityRecord({
        zones: '3',
        integer_digits: '6',
        fraction_digits: '2',
        initial_t1: '000100.00',
        initial_t2: '000040.00',
        initial_t3: '000060.00',
      }),
    );
    const day = moscowDay(1);
    const first = partnerMessage(twoZones, { readDate: partnerDate(day) });
    const second = partnerMessage(threeZones, { t1: '140,55', t2: '52,10', t3: '83,00' });
    await sendPartner([first, second]);

    const [a, b] = await decided([first.msgId, second.msgId]);
    expect(a).toMatchObject({
      submission_id: submissionId({
        channel: 'mosenergosbyt',
        sourceId: PARTNER_SOURCE_ID,
        sourceRef: first.msgId,
        meterSerial: twoZones.serial,
      }),
      channel: 'mosenergosbyt',
      source_id: 'mosenergosbyt',
      account_number: twoZones.accountNumber,
      meter_serial: twoZones.serial,
      status: 'accepted',
      reasons: [],
      t1: '4601.200000',
      t2: '1911.400000',
      t3: null,
    });
    expect(a.read_at.toISOString()).toBe(new Date(moscowAt(day, 12)).toISOString());
    expect(b).toMatchObject({
      account_number: threeZones.accountNumber,
      meter_serial: threeZones.serial,
      status: 'accepted',
      t1: '140.550000',
      t2: '52.100000',
      t3: '83.000000',
    });
  });

  it('stores a msgId delivered twice once', async () => {
    const mapping = await mapped();
    const message = partnerMessage(mapping);
    await sendPartner([message]);
    await decided([message.msgId]);
    await sendPartner([message, message]);
    await settled();
    const rows = await partnerReadings([message.msgId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('accepted');
  });

  it('stores a msgId redelivered after its pair was re-pointed to another meter once, on the first meter', async () => {
    const first = await mapped();
    const message = partnerMessage(first);
    await sendPartner([message]);
    const [stored] = await decided([message.msgId]);
    const [other] = await seedMeters(db, [electricityRecord()]);
    await seedPartnerMap(db, [
      { ...first, accountNumber: other.accountNumber, serial: other.serial },
    ]);
    // A replay: the same message, and a copy of it with other values.
    await sendPartner([message, { ...message, t1: '4700,0' }]);
    await settled();
    expect(await partnerReadings([message.msgId])).toEqual([stored]);
  });

  it('stores a released msgId redelivered after its pair was re-pointed once, on the meter it was released to', async () => {
    const [first, other] = await seedMeters(db, [electricityRecord(), electricityRecord()]);
    const ids = partnerIds();
    const message = partnerMessage(ids);
    await sendPartner([message]);
    await eventually(
      () => db.query(`SELECT 1 FROM partner_parked_readings WHERE msg_id = $1`, [message.msgId]),
      (rows) => rows.length === 1,
    );
    await seedPartnerMap(db, [
      { ...ids, accountNumber: first.accountNumber, serial: first.serial },
    ]);
    const [released] = await decided([message.msgId]);
    expect(released.meter_serial).toBe(first.serial);
    await seedPartnerMap(db, [
      { ...ids, accountNumber: other.accountNumber, serial: other.serial },
    ]);
    await sendPartner([message]);
    await settled();
    expect(await partnerReadings([message.msgId])).toEqual([released]);
  });

  it('counts an unmapped partner reading once however often it is delivered', async () => {
    const [meter] = await seedMeters(db, [electricityRecord()]);
    const flowing = await mapped();
    const waiting = partnerMessage({
      partnerAccount: flowing.partnerAccount,
      partnerMeter: `X${meter.serial}`,
    });
    const unmappedTotal = async () => {
      const metrics = (await request(feed.getHttpServer()).get('/metrics').expect(200)).text;
      return Number(/^mosenergosbyt_unmapped_total (\d+)/m.exec(metrics)?.[1] ?? 0);
    };
    const before = await unmappedTotal();
    const next = partnerMessage(flowing);
    await sendPartner([waiting]);
    await sendPartner([waiting, next]);
    // One partition key: the feed handled both deliveries of `waiting` before `next`.
    await decided([next.msgId]);
    expect(await unmappedTotal()).toBe(before + 1);
  });

  it('parks an unmapped message without holding up the partition, and releases it after a mapping import', async () => {
    const [meter] = await seedMeters(db, [electricityRecord()]);
    const flowing = await mapped();
    // Same partner account (the partition key) as the mapped meter, but a meter number nobody mapped.
    const unmappedIds = {
      partnerAccount: flowing.partnerAccount,
      partnerMeter: `X${meter.serial}`,
    };
    const waiting = partnerMessage(unmappedIds);
    const next = partnerMessage(flowing);
    await sendPartner([waiting, next]);

    await decided([next.msgId]);
    const [parked] = await eventually(
      () =>
        db.query(
          `SELECT reason, released_at, submission_id FROM partner_parked_readings WHERE msg_id = $1`,
          [waiting.msgId],
        ),
      (rows) => rows.length === 1,
    );
    expect(parked).toEqual({
      reason: `no cross-reference row for lsMes "${unmappedIds.partnerAccount}" and counterNo "${unmappedIds.partnerMeter}"`,
      released_at: null,
      submission_id: null,
    });
    expect(await partnerReadings([waiting.msgId])).toEqual([]);
    const metrics = await request(feed.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^mosenergosbyt_parked_readings [1-9]/m);

    const dir = mkdtempSync(join(tmpdir(), 'partner-map-'));
    try {
      const file = join(dir, 'partner-map.csv');
      writeFileSync(
        file,
        [
          'partner_account;partner_meter;account_number;serial',
          `${unmappedIds.partnerAccount};${unmappedIds.partnerMeter};${meter.accountNumber};${meter.serial}`,
          `${unmappedIds.partnerAccount};BAD METER;${meter.accountNumber};${meter.serial}`,
          '',
        ].join('\n'),
      );
      const first = await ctl('partner-map', 'import', file);
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual({
        imported: 1,
        updated: 0,
        failed: [
          { line: 3, error: 'partner_meter must be 1 to 32 printable characters, no spaces' },
        ],
      });

      const [released] = await decided([waiting.msgId]);
      expect(released).toMatchObject({
        account_number: meter.accountNumber,
        meter_serial: meter.serial,
        status: 'accepted',
      });
      const [row] = await eventually(
        () =>
          db.query(
            `SELECT released_at, submission_id FROM partner_parked_readings WHERE msg_id = $1`,
            [waiting.msgId],
          ),
        (rows) => rows[0]?.released_at !== null,
      );
      expect(row.submission_id).toBe(released.submission_id);

      const again = await ctl('partner-map', 'import', file);
      expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, updated: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends malformed messages to the DLQ with the reason while the next good message flows', async () => {
    const mapping = await mapped();
    const good = partnerMessage(mapping);
    const notJson = `not json ${good.msgId}`;
    const badDate = partnerMessage(mapping, { readDate: moscowDay(1) });
    const yearZero = partnerMessage(mapping, { readDate: '05.12.0000' });
    await sendPartner([{ key: mapping.partnerAccount, value: notJson }, badDate, yearZero, good]);

    const [stored] = await decided([good.msgId]);
    expect(stored.status).toBe('accepted');
    const dead = await eventually(
      async () => dlq.messages.filter((m) => m.key === mapping.partnerAccount),
      (found) => found.length === 3,
    );
    expect(dead[0].value?.toString()).toBe(notJson);
    expect(dead[0].headers).toMatchObject({
      [DLQ_HEADERS.error]: 'MALFORMED',
      [DLQ_HEADERS.reason]: 'value is not valid JSON',
      'x-original-topic': TOPICS.partnerReadings,
    });
    expect(JSON.parse(dead[1].value?.toString() ?? '')).toEqual(badDate);
    expect(dead[1].headers[DLQ_HEADERS.reason]).toBe('readDate must be a date DD.MM.YYYY');
    expect(dead[2].headers[DLQ_HEADERS.reason]).toBe('readDate must be a date DD.MM.YYYY');
    expect(await partnerReadings([badDate.msgId, yearZero.msgId])).toEqual([]);
  });

  it('dead-letters a message that is not UTF-8, bytes and missing key as they came, never reading it with U+FFFD', async () => {
    const mapping = await mapped();
    // Two msgIds differing in one Windows-1251 letter ("Б" C1, "В" C2): read with U+FFFD in place
    // of each, they would be one msgId, and the second reading would pass for a repeat of the first.
    const base = partnerMessage(mapping);
    const cp1251 = (letter: number, t1: string) => {
      const [before, after] = JSON.stringify({ ...base, t1 }).split(`"${base.msgId}"`);
      return Buffer.concat([
        Buffer.from(`${before}"${base.msgId}`),
        Buffer.from([letter]),
        Buffer.from(`"${after}`),
      ]);
    };
    const first = cp1251(0xc1, '4601,5');
    const second = cp1251(0xc2, '4602,5');
    const good = partnerMessage(mapping);
    await sendPartner([
      { key: mapping.partnerAccount, value: first },
      { key: null, value: second },
      good,
    ]);

    await decided([good.msgId]);
    const dead = await eventually(
      async () => dlq.messages.filter((m) => m.value?.equals(first) || m.value?.equals(second)),
      (found) => found.length === 2,
    );
    // The keyless one may go to another DLQ partition, so come back in either order.
    const letterOf = (value: Buffer) => dead.find((m) => m.value?.equals(value));
    expect(
      [first, second].map(letterOf).map((m) => [m?.key, m?.headers[DLQ_HEADERS.reason]]),
    ).toEqual([
      [mapping.partnerAccount, 'value is not UTF-8'],
      [null, 'value is not UTF-8'],
    ]);
    const sourceRefs: { source_ref: string }[] = await db.query(
      `SELECT source_ref FROM readings WHERE channel = 'mosenergosbyt' AND meter_serial = $1`,
      [mapping.serial],
    );
    expect(sourceRefs.map((r) => r.source_ref)).toEqual([good.msgId]);
  });

  it('dead-letters a malformed message with its headers byte for byte, binary and repeated ones included', async () => {
    const raw = await RawHeaderTap.open(kafka, TOPICS.partnerReadingsDlq);
    try {
      const mapping = await mapped();
      const good = partnerMessage(mapping);
      const notJson = `not json ${good.msgId}`;
      const headers: IHeaders = {
        'x-bin': Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]),
        'x-twice': ['first', 'second'],
        'x-empty': Buffer.alloc(0),
        // Names Object.prototype has, which kafkajs reads with the inherited member first.
        constructor: 'c',
        toString: ['1', '2'],
        ['__proto__']: 'p',
      };
      const [sent] = await producer.send({
        topic: TOPICS.partnerReadings,
        acks: -1,
        messages: [
          { key: mapping.partnerAccount, value: notJson, headers },
          { key: mapping.partnerAccount, value: JSON.stringify(good) },
        ],
      });
      await decided([good.msgId]);
      const [letter] = await raw.waitFor((m) => m.value?.toString() === notJson);
      expect(letter.key?.toString()).toBe(mapping.partnerAccount);
      expect(headerBytes(letter.headers)).toEqual(
        headerBytes({
          ...headers,
          [DLQ_HEADERS.error]: 'MALFORMED',
          [DLQ_HEADERS.reason]: 'value is not valid JSON',
          'x-original-topic': TOPICS.partnerReadings,
          'x-original-partition': String(sent.partition),
          'x-original-offset': String(sent.baseOffset),
        }),
      );
    } finally {
      await raw.close();
    }
  });

  it('dead-letters a partner message the database refuses with STORE_FAILED while the rest of the partition is parked or published', async () => {
    const mapping = await mapped();
    // Same lsMes, so one partition; counterNo without a cross-reference row, so parked.
    const unmapped = () => ({
      partnerAccount: mapping.partnerAccount,
      partnerMeter: partnerIds().partnerMeter,
    });
    const parkedFirst = partnerMessage(unmapped());
    const refused = partnerMessage(unmapped());
    const good = partnerMessage(mapping);
    const parkedLater = partnerMessage(unmapped());
    const drop = await refuseToStore(db, 'partner_parked_readings', 'msg_id', refused.msgId);
    try {
      await sendPartner([parkedFirst, refused, good, parkedLater]);
      const [dead] = await eventually(
        async () => dlq.messages.filter((m) => m.key === mapping.partnerAccount),
        (found) => found.length >= 1,
      );
      expect(JSON.parse(dead.value?.toString() ?? '')).toEqual(refused);
      expect(dead.headers).toMatchObject({
        [DLQ_HEADERS.error]: `test refuses to store ${refused.msgId} (code 22008)`,
        [DLQ_HEADERS.reason]: 'STORE_FAILED',
        'x-original-topic': TOPICS.partnerReadings,
      });
      expect((await decided([good.msgId]))[0].status).toBe('accepted');
      const parked = await db.query(
        `SELECT msg_id FROM partner_parked_readings WHERE msg_id = ANY($1::varchar[]) ORDER BY msg_id`,
        [[parkedFirst.msgId, refused.msgId, parkedLater.msgId]],
      );
      expect(parked.map((r: { msg_id: string }) => r.msg_id)).toEqual(
        [parkedFirst.msgId, parkedLater.msgId].sort(),
      );
      await settled();
      expect(dlq.messages.filter((m) => m.key === mapping.partnerAccount)).toHaveLength(1);
    } finally {
      await drop();
    }
  });

  it('skips an accepted reading whose record the database refuses and sends the partner the others', async () => {
    const refusedMeter = await mapped();
    const goodMeter = await mapped();
    const day = moscowDay(1);
    const reading = (meter: PartnerMapping) =>
      submission({
        channel: 'kiosk',
        accountNumber: meter.accountNumber,
        meterSerial: meter.serial,
        readAt: moscowAt(day, 9, 0),
        receivedAt: moscowAt(day, 9, 1),
        values: [
          { zone: 'T1', value: '004601.2' },
          { zone: 'T2', value: '001911.4' },
        ],
      });
    const refused = reading(refusedMeter);
    const good = reading(goodMeter);
    const drop = await refuseToStore(
      db,
      'partner_outbound_readings',
      'submission_id',
      refused.submissionId,
    );
    try {
      await sendSubmissions([refused, good]);
      await outbound.waitFor<PartnerReadingMessage>(
        (all) => all.filter((m) => m.msgId === good.submissionId),
        1,
      );
      await settled();
      expect(outbound.json<PartnerReadingMessage>().map((m) => m.msgId)).not.toContain(
        refused.submissionId,
      );
      const metrics = (await request(feed.getHttpServer()).get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/mosenergosbyt_outbound_skipped_total [1-9]/);
    } finally {
      await drop();
    }
  });

  it('publishes accepted cabinet and kiosk electricity readings to the partner once, and nothing else', async () => {
    const kioskMeter = await mapped();
    const cabinetMeter = await mapped();
    const partnerMeter = await mapped();
    const waterMeter = await mapped(registryRecord({ initial_on: moscowDay(30) }));
    const day = moscowDay(1);
    const common = {
      readAt: moscowAt(day, 10, 15),
      receivedAt: moscowAt(day, 10, 16),
      values: [
        { zone: 'T1', value: '004601.2' },
        { zone: 'T2', value: '001911.4' },
      ],
    };
    const kiosk = submission({
      ...common,
      channel: 'kiosk',
      accountNumber: kioskMeter.accountNumber,
      meterSerial: kioskMeter.serial,
    });
    const cabinet = submission({
      ...common,
      channel: 'cabinet',
      accountNumber: cabinetMeter.accountNumber,
      meterSerial: cabinetMeter.serial,
      values: [
        { zone: 'T1', value: '4600' },
        { zone: 'T2', value: '1900.3' },
      ],
    });
    const rejected = submission({
      ...common,
      channel: 'kiosk',
      accountNumber: kioskMeter.accountNumber,
      meterSerial: kioskMeter.serial,
      values: [{ zone: 'T1', value: '004700.0' }],
    });
    const water = submission({
      ...common,
      channel: 'cabinet',
      accountNumber: waterMeter.accountNumber,
      meterSerial: waterMeter.serial,
      values: [{ zone: 'T1', value: '00110.000' }],
    });
    const fromPartner = partnerMessage(partnerMeter);
    await sendPartner([fromPartner]);
    // The kiosk reading twice: the processor re-publishes its stored outcome, the feed must not.
    // As an edge publishes them: with the span of the request that brought them.
    const edgeSpan = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await sendSubmissions([kiosk, cabinet, rejected, water, kiosk], { traceparent: edgeSpan });

    const sent = await outbound.waitFor<PartnerReadingMessage>(
      (all) => all.filter((m) => [kiosk.submissionId, cabinet.submissionId].includes(m.msgId)),
      2,
    );
    expect(sent.find((m) => m.msgId === kiosk.submissionId)).toEqual({
      msgId: kiosk.submissionId,
      lsMes: kioskMeter.partnerAccount,
      counterNo: kioskMeter.partnerMeter,
      t1: '4601,2',
      t2: '1911,4',
      t3: null,
      readDate: partnerDate(day),
      src: 'kiosk',
    });
    expect(sent.find((m) => m.msgId === cabinet.submissionId)).toMatchObject({
      t1: '4600,0',
      t2: '1900,3',
      src: 'cabinet',
    });
    const toPartner = outbound.messages.find((m) =>
      m.value?.toString().includes(kiosk.submissionId),
    );
    expect(toPartner?.key).toBe(kioskMeter.partnerAccount);
    // The trace goes on to the partner, each hop (processor, feed) with a span of its own.
    const trace = parseTraceparent(toPartner?.headers.traceparent);
    expect(trace?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(trace?.spanId).not.toBe('00f067aa0ba902b7');

    await decided([fromPartner.msgId]);
    await settled();
    // Once more after a restart of the feed: the record of what was sent outlives the process.
    await feed.close();
    feed = await startFeed();
    await sendSubmissions([kiosk]);
    await settled();

    const ours = outbound
      .json<PartnerReadingMessage>()
      .filter((m) =>
        [kioskMeter, cabinetMeter, partnerMeter, waterMeter].some(
          (p) => p.partnerMeter === m.counterNo,
        ),
      );
    expect(ours.map((m) => m.msgId).sort()).toEqual(
      [kiosk.submissionId, cabinet.submissionId].sort(),
    );
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM partner_outbound_readings WHERE submission_id = ANY($1::uuid[])`,
      [[kiosk.submissionId, cabinet.submissionId, rejected.submissionId, water.submissionId]],
    );
    expect(n).toBe(2);
  });

  it('counts an accepted reading of a meter without a cross-reference row, not sent to the partner', async () => {
    const [meter] = await seedMeters(db, [electricityRecord()]);
    const unmapped = () =>
      request(feed.getHttpServer())
        .get('/metrics')
        .expect(200)
        .then(({ text }) =>
          Number(/^mosenergosbyt_outbound_unmapped_total (\d+)/m.exec(text)?.[1] ?? 0),
        );
    const before = await unmapped();
    const reading = ourReading(meter, 11, ['004601.2', '001911.4'], 'kiosk');
    await sendSubmissions([reading]);
    await accepted(reading.submissionId);
    await settled();
    expect(outbound.json<PartnerReadingMessage>().map((m) => m.msgId)).not.toContain(
      reading.submissionId,
    );
    expect(await unmapped()).toBe(before + 1);
  });

  it('sends an accepted reading once its meter gets a cross-reference row after the acceptance, once', async () => {
    const [meter] = await seedMeters(db, [electricityRecord()]);
    const reading = ourReading(meter, 12, ['4601.2', '1911.4']);
    await sendSubmissions([reading]);
    await accepted(reading.submissionId);
    await settled();
    const ids = { ...partnerIds(), accountNumber: meter.accountNumber, serial: meter.serial };
    await seedPartnerMap(db, [ids]);

    const [sent] = await outbound.waitFor<PartnerReadingMessage>(
      (all) => all.filter((m) => m.msgId === reading.submissionId),
      1,
      10000,
    );
    expect(sent).toMatchObject({ lsMes: ids.partnerAccount, counterNo: ids.partnerMeter });
    // Its outcome once more, and a few more release checks: nothing goes out again.
    await sendSubmissions([reading]);
    await settled();
    await new Promise((r) => setTimeout(r, 1000));
    expect(
      outbound.json<PartnerReadingMessage>().filter((m) => m.msgId === reading.submissionId),
    ).toHaveLength(1);
  });

  it("sends a meter's pending reading before a later one accepted once its row arrived", async () => {
    await releasingByHand(async () => {
      const [meter] = await seedMeters(db, [electricityRecord()]);
      const at = (hour: number, t1: string) => ourReading(meter, hour, [t1, '1911.4']);
      const [earlier, later] = [at(12, '4601.2'), at(13, '4602.5')];
      await sendSubmissions([earlier]);
      await accepted(earlier.submissionId);
      await settled();
      const ids = { ...partnerIds(), accountNumber: meter.accountNumber, serial: meter.serial };
      await seedPartnerMap(db, [ids]);
      await sendSubmissions([later]);
      await accepted(later.submissionId);
      await settled();
      // The release check the interval would run now.
      await feed.get(PublishOutboundReadingsUseCase).releasePending();

      const sent = await outbound.waitFor<PartnerReadingMessage>(
        (all) => all.filter((m) => m.counterNo === ids.partnerMeter),
        2,
        10000,
      );
      expect(sent.map((m) => m.msgId)).toEqual([earlier.submissionId, later.submissionId]);
    });
  });

  it("sends a meter's readings pending since one outcome batch in the order they were read", async () => {
    await releasingByHand(async () => {
      const [meter] = await seedMeters(db, [electricityRecord()]);
      const at = (hour: number, t1: string) => ourReading(meter, hour, [t1, '1911.4']);
      // Submission ids say nothing of the order of reading: here the later one's sorts first.
      const earlier = at(12, '4601.2');
      let later = at(13, '4602.5');
      while (later.submissionId > earlier.submissionId) later = at(13, '4602.5');
      await sendSubmissions([earlier, later]);
      const pending = () =>
        db.query(`SELECT 1 FROM partner_outbound_pending WHERE submission_id = ANY($1::uuid[])`, [
          [earlier.submissionId, later.submissionId],
        ]);
      await eventually(pending, (rows) => rows.length === 2);
      await settled();
      expect(await mapAndRelease(meter, 2)).toEqual([earlier.submissionId, later.submissionId]);
    });
  });

  it("sends a meter's pending readings in order when they fall in different release chunks", async () => {
    await releasingByHand(
      async () => {
        const [meter] = await seedMeters(db, [electricityRecord()]);
        const at = (hour: number, t1: string) => ourReading(meter, hour, [t1, '1911.4']);
        const readings = [at(12, '4601.2'), at(13, '4602.5'), at(14, '4603.1')];
        // Pending since three transactions: one chunk of the release holds one of them.
        for (const reading of readings) {
          await sendSubmissions([reading]);
          await accepted(reading.submissionId);
          await settled();
        }
        expect(await mapAndRelease(meter, 3)).toEqual(readings.map((r) => r.submissionId));
      },
      { MOSENERGOSBYT_RELEASE_BATCH: '1' },
    );
  });

  it('serves health and the feed metrics', async () => {
    const server = feed.getHttpServer();
    await request(server).get('/health/live').expect(200);
    await eventually(
      async () => (await request(server).get('/health/ready')).status,
      (status) => status === 200,
    );
    // The lag gauge is filled from the broker once the group has been joined, not at boot.
    const lagLine = `consumer_lag_messages{topic="${TOPICS.partnerReadings}"`;
    const metrics = await eventually(
      async () => (await request(server).get('/metrics').expect(200)).text,
      (text) => text.includes(lagLine),
    );
    for (const name of [
      'mosenergosbyt_mapped_total',
      'mosenergosbyt_unmapped_total',
      'mosenergosbyt_dead_lettered_total',
      'mosenergosbyt_outbound_total',
      'mosenergosbyt_outbound_unmapped_total',
      'mosenergosbyt_parked_readings',
      lagLine,
    ])
      expect(metrics).toContain(name);
  });
});
