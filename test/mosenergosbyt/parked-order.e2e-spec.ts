import type { INestApplication } from '@nestjs/common';
import { type PartnerReadingMessage, TOPICS } from '@gw/contracts';
import type { PartnerMapping } from '@gw/domain';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { ReleaseParkedReadingsUseCase } from '../../apps/mosenergosbyt-feed/src/release-parked-readings.use-case';
import { seedMeters } from '../support/factories';
import { eventually, groupLag, testDatabase, testGroup, testKafka } from '../support/infra';
import { startProcessor } from '../support/processor';
import { startFeed, startGroupAtEnd } from './feed';
import {
  electricityRecord,
  moscowDay,
  partnerDate,
  partnerIds,
  partnerMessage,
  seedPartnerMap,
} from './partner-factories';

const PROCESSOR_GROUP = testGroup('mosenergosbyt-order-processor');
const FEED_GROUP = testGroup('mosenergosbyt-order-feed');

interface StoredReading {
  source_ref: string;
  status: string;
  reasons: string[];
  t1: string;
  submission_id: string;
}

interface ParkedRow {
  msg_id: string;
  reason: string;
  released: boolean;
  submission_id: string | null;
}

/** Parked readings of a meter and what became of them, with the release run by the test alone. */
describe('mosenergosbyt-feed: parked readings and the ones behind them', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let processor: INestApplication;
  let feed: INestApplication;

  const sendPartner = (messages: PartnerReadingMessage[]) =>
    producer.send({
      topic: TOPICS.partnerReadings,
      acks: -1,
      messages: messages.map((m) => ({ key: m.lsMes, value: JSON.stringify(m) })),
    });

  const partnerReadings = (mapping: PartnerMapping): Promise<StoredReading[]> =>
    db.query(
      `SELECT source_ref, status, reasons, t1::text, submission_id FROM readings
        WHERE channel = 'mosenergosbyt' AND meter_serial = $1 ORDER BY read_at`,
      [mapping.serial],
    );

  const decided = (mapping: PartnerMapping, count: number) =>
    eventually(
      () => partnerReadings(mapping),
      (rows) => rows.length === count,
    );

  const parked = (ids: { partnerAccount: string; partnerMeter: string }): Promise<ParkedRow[]> =>
    db.query(
      `SELECT msg_id, reason, released_at IS NOT NULL AS released, submission_id
         FROM partner_parked_readings WHERE partner_account = $1 AND partner_meter = $2
        ORDER BY received_at, kafka_offset`,
      [ids.partnerAccount, ids.partnerMeter],
    );

  const settled = () =>
    eventually(
      async () => [
        await groupLag(kafka, FEED_GROUP, TOPICS.partnerReadings),
        await groupLag(kafka, PROCESSOR_GROUP, TOPICS.submitted),
      ],
      (lags) => lags.every((lag) => lag === 0),
      30000,
      250,
    );

  const release = () => feed.get(ReleaseParkedReadingsUseCase).execute();

  /** A meter whose first reading `firstMessage` was parked, and whose mapping was imported after it. */
  const parkedThenMapped = async (
    firstMessage: (ids: { partnerAccount: string; partnerMeter: string }) => PartnerReadingMessage,
  ): Promise<{ mapping: PartnerMapping; first: PartnerReadingMessage }> => {
    const [meter] = await seedMeters(db, [electricityRecord()]);
    const ids = partnerIds();
    const first = firstMessage(ids);
    await sendPartner([first]);
    await eventually(
      () => parked(ids),
      (rows) => rows.length === 1,
    );
    const mapping = { ...ids, accountNumber: meter.accountNumber, serial: meter.serial };
    await seedPartnerMap(db, [mapping]);
    return { mapping, first };
  };

  /** An older reading parked, its mapping imported, then a newer one sent before any release. */
  const newerBehindOlder = async () => {
    const { mapping, first: older } = await parkedThenMapped((ids) =>
      partnerMessage(ids, { readDate: partnerDate(moscowDay(3)), t1: '4601,2', t2: '1911,4' }),
    );
    const newer = partnerMessage(mapping, {
      readDate: partnerDate(moscowDay(2)),
      t1: '4610,2',
      t2: '1915,4',
    });
    await sendPartner([newer]);
    await settled();
    return { mapping, older, newer };
  };

  const waitsBehind = (ids: { partnerAccount: string; partnerMeter: string }) =>
    `waits behind earlier parked readings of lsMes "${ids.partnerAccount}" and counterNo "${ids.partnerMeter}"`;

  beforeAll(async () => {
    kafka = testKafka();
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    db = await testDatabase();
    await Promise.all([
      startGroupAtEnd(kafka, PROCESSOR_GROUP, [TOPICS.submitted]),
      startGroupAtEnd(kafka, FEED_GROUP, [TOPICS.partnerReadings, TOPICS.outcomes]),
    ]);
    processor = await startProcessor({ PROCESSOR_GROUP_ID: PROCESSOR_GROUP });
    // Released only when a test says so.
    feed = await startFeed({
      MOSENERGOSBYT_GROUP_ID: FEED_GROUP,
      MOSENERGOSBYT_RELEASE_INTERVAL_MS: '3600000',
    });
  });

  afterAll(async () => {
    await feed?.close();
    await processor?.close();
    await producer?.disconnect();
    await db?.destroy();
  });

  it('stores the first values of a parked msgId sent again with other values after the mapping import', async () => {
    const { mapping, first } = await parkedThenMapped((ids) =>
      partnerMessage(ids, { t1: '4601,2', t2: '1911,4' }),
    );
    await sendPartner([{ ...first, t1: '4700,0', t2: '1999,9' }]);
    await settled();
    expect(await partnerReadings(mapping)).toEqual([]);

    await release();
    const [stored] = await decided(mapping, 1);
    expect(stored).toMatchObject({
      source_ref: first.msgId,
      status: 'accepted',
      t1: '4601.200000',
    });
    expect(await parked(mapping)).toEqual([
      expect.objectContaining({ released: true, submission_id: stored.submission_id }),
    ]);
  });

  it('releases an older parked reading before a newer one sent before the release, then lets the next one through', async () => {
    const { mapping, older, newer } = await newerBehindOlder();
    expect(await partnerReadings(mapping)).toEqual([]);
    expect((await parked(mapping))[1]).toMatchObject({
      msg_id: newer.msgId,
      reason: waitsBehind(mapping),
      released: false,
    });

    await release();
    const stored = await decided(mapping, 2);
    expect(stored.map((r) => [r.source_ref, r.status, r.reasons])).toEqual([
      [older.msgId, 'accepted', []],
      [newer.msgId, 'accepted', []],
    ]);

    const next = partnerMessage(mapping, {
      readDate: partnerDate(moscowDay(1)),
      t1: '4615,2',
      t2: '1917,4',
    });
    await sendPartner([next]);
    expect((await decided(mapping, 3))[2]).toMatchObject({
      source_ref: next.msgId,
      status: 'accepted',
    });
    expect((await parked(mapping)).map((r) => r.msg_id)).toEqual([older.msgId, newer.msgId]);
  });

  it('holds a newer parked reading back while another release has the older one locked', async () => {
    const { mapping, older, newer } = await newerBehindOlder();

    // As a second feed instance holds the row while it releases it.
    const other = db.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query('SELECT 1 FROM partner_parked_readings WHERE msg_id = $1 FOR UPDATE', [
        older.msgId,
      ]);
      await release();
      expect((await parked(mapping)).map((r) => r.released)).toEqual([false, false]);
      await other.rollbackTransaction();
    } finally {
      await other.release();
    }

    await release();
    const stored = await decided(mapping, 2);
    expect(stored.map((r) => [r.source_ref, r.status])).toEqual([
      [older.msgId, 'accepted'],
      [newer.msgId, 'accepted'],
    ]);
  });
});
