import type { ChildProcess } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import { type PartnerReadingMessage, TOPICS } from '@gw/contracts';
import type { PartnerMapping } from '@gw/domain';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { type CrashPoint, spawnCrashingApp } from '../support/crashing-app';
import { seedMeters, submission } from '../support/factories';
import {
  eventually,
  groupLag,
  testDatabase,
  testGroup,
  testKafka,
  TopicTap,
} from '../support/infra';
import { startProcessor } from '../support/processor';
import { exited } from '../support/processor-process';
import { startFeed, startGroupAtEnd } from './feed';
import {
  electricityRecord,
  moscowAt,
  moscowDay,
  partnerIds,
  partnerMessage,
  seedPartnerMap,
} from './partner-factories';

const FEED_GROUP = testGroup('mosenergosbyt-feed-crash');
const PROCESSOR_GROUP = testGroup('mosenergosbyt-crash-processor');

/** The feed in a process of its own that kills itself at `crash`. */
const spawnCrashingFeed = (crash: CrashPoint) =>
  spawnCrashingApp('apps/mosenergosbyt-feed/src/main.ts', crash, {
    MOSENERGOSBYT_FEED_PORT: '0',
    MOSENERGOSBYT_GROUP_ID: FEED_GROUP,
    MOSENERGOSBYT_RELEASE_INTERVAL_MS: '300',
    // The broker's shortest session: the next feed waits this long for the killed one's partitions.
    MOSENERGOSBYT_SESSION_TIMEOUT_MS: '6000',
  });

/**
 * The feed killed with SIGKILL at the points where its work is half done: a partner msgId recorded
 * but not published, published but its offset not committed, a parked reading released to Kafka
 * but not marked released, one of our accepted readings about to reach the partner or sent to it
 * but not recorded as sent. The next feed of the group does the work again: every reading is
 * stored once and reaches the partner, none is lost.
 */
describe('mosenergosbyt-feed killed mid-batch', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let outbound: TopicTap;
  let processor: INestApplication;
  let child: ChildProcess | undefined;
  let feed: INestApplication | undefined;

  const sendPartner = (messages: PartnerReadingMessage[]) =>
    producer.send({
      topic: TOPICS.partnerReadings,
      acks: -1,
      messages: messages.map((m) => ({ key: m.lsMes, value: JSON.stringify(m) })),
    });

  const mapped = async (count: number): Promise<PartnerMapping[]> => {
    const meters = await seedMeters(
      db,
      Array.from({ length: count }, () => electricityRecord()),
    );
    return meters.map((m) => ({
      ...partnerIds(),
      accountNumber: m.accountNumber,
      serial: m.serial,
    }));
  };

  /** Readings stored per msgId, with their status. */
  const stored = (msgIds: string[]) =>
    db.query(
      `SELECT source_ref, count(*)::int AS n, min(status) AS status FROM readings
        WHERE channel = 'mosenergosbyt' AND source_ref = ANY($1::varchar[])
        GROUP BY source_ref ORDER BY source_ref COLLATE "C"`,
      [msgIds],
    ) as Promise<{ source_ref: string; n: number; status: string }[]>;

  const recorded = async (msgId: string) =>
    (await db.query('SELECT 1 FROM partner_messages WHERE msg_id = $1', [msgId])).length === 1;

  /** Waits for the crashing feed to kill itself. */
  const killed = async () => {
    const running = child as ChildProcess;
    const signal = await eventually(
      async () => running.signalCode ?? running.exitCode,
      (ended) => ended !== null,
      45000,
      100,
    );
    expect(signal).toBe('SIGKILL');
  };

  /** A feed of the same group after the crash; resolves once every msgId is stored and nothing lags. */
  const recovered = async (msgIds: string[]) => {
    feed = await startFeed({ MOSENERGOSBYT_GROUP_ID: FEED_GROUP });
    await eventually(
      () => stored(msgIds),
      (rows) => rows.length === msgIds.length,
      30000,
      200,
    );
    await eventually(
      async () => [
        await groupLag(kafka, FEED_GROUP, TOPICS.partnerReadings),
        await groupLag(kafka, PROCESSOR_GROUP, TOPICS.submitted),
      ],
      (lags) => lags.every((lag) => lag === 0),
      30000,
      250,
    );
    const rows = await stored(msgIds);
    expect(rows.map((r) => [r.source_ref, r.n, r.status])).toEqual(
      [...msgIds].sort().map((id) => [id, 1, 'accepted']),
    );
  };

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
    outbound = await TopicTap.open(kafka, TOPICS.partnerOutbound);
  });

  afterEach(async () => {
    child?.kill('SIGKILL');
    if (child) await exited(child);
    child = undefined;
    await feed?.close();
    feed = undefined;
  });

  afterAll(async () => {
    await processor?.close();
    await outbound?.close();
    await producer?.disconnect();
    await db?.destroy();
  });

  it.each(['before', 'after'] as const)(
    'stores each partner reading once when killed %s publishing it',
    async (at) => {
      const mappings = await mapped(4);
      await seedPartnerMap(db, mappings);
      const messages = mappings.map((m) => partnerMessage(m));
      const [marked] = messages;
      child = spawnCrashingFeed({ topic: TOPICS.submitted, marker: marked.msgId, at });
      await sendPartner(messages);
      await killed();
      // The msgId was recorded first; its offset was never committed.
      expect(await recorded(marked.msgId)).toBe(true);
      expect(await groupLag(kafka, FEED_GROUP, TOPICS.partnerReadings)).toBeGreaterThan(0);

      await recovered(messages.map((m) => m.msgId));
    },
  );

  it('stores a released parked reading once when killed after publishing it, before marking it released', async () => {
    const [mapping] = await mapped(1);
    const message = partnerMessage(mapping);
    child = spawnCrashingFeed({ topic: TOPICS.submitted, marker: message.msgId, at: 'after' });
    await sendPartner([message]);
    await eventually(
      async () =>
        (await db.query('SELECT 1 FROM partner_parked_readings WHERE msg_id = $1', [message.msgId]))
          .length,
      (n) => n === 1,
      45000,
      200,
    );
    await seedPartnerMap(db, [mapping]);
    await killed();
    expect(await recorded(message.msgId)).toBe(true);
    const [parked] = await db.query(
      'SELECT released_at FROM partner_parked_readings WHERE msg_id = $1',
      [message.msgId],
    );
    expect(parked.released_at).toBeNull();

    await recovered([message.msgId]);
    const [released] = await db.query(
      `SELECT p.released_at, p.submission_id = r.submission_id AS same
         FROM partner_parked_readings p JOIN readings r ON r.source_ref = p.msg_id
        WHERE p.msg_id = $1`,
      [message.msgId],
    );
    expect(released.released_at).not.toBeNull();
    expect(released.same).toBe(true);
  });

  it.each(['before', 'after'] as const)(
    'sends an accepted reading of ours to the partner when killed %s publishing it, recorded once',
    async (at) => {
      const [mapping] = await mapped(1);
      await seedPartnerMap(db, [mapping]);
      const reading = submission({
        channel: 'kiosk',
        accountNumber: mapping.accountNumber,
        meterSerial: mapping.serial,
        readAt: moscowAt(moscowDay(1), 10),
        receivedAt: moscowAt(moscowDay(1), 10, 1),
        values: [
          { zone: 'T1', value: '004601.2' },
          { zone: 'T2', value: '001911.4' },
        ],
      });
      const sent = () =>
        outbound.json<PartnerReadingMessage>().filter((m) => m.msgId === reading.submissionId);
      child = spawnCrashingFeed({
        topic: TOPICS.partnerOutbound,
        marker: reading.submissionId,
        at,
      });
      await producer.send({
        topic: TOPICS.submitted,
        acks: -1,
        messages: [{ key: reading.accountNumber, value: JSON.stringify(reading) }],
      });
      await killed();
      const recordedSent = async () =>
        (
          await db.query(
            'SELECT count(*)::int AS n FROM partner_outbound_readings WHERE submission_id = $1',
            [reading.submissionId],
          )
        )[0].n as number;
      expect(await recordedSent()).toBe(0);

      feed = await startFeed({ MOSENERGOSBYT_GROUP_ID: FEED_GROUP });
      await eventually(
        () => groupLag(kafka, FEED_GROUP, TOPICS.outcomes),
        (lag) => lag === 0,
        30000,
        250,
      );
      expect(await recordedSent()).toBe(1);
      // Sent again, unchanged, when Kafka had it before the kill.
      const copies = await eventually(
        async () => sent(),
        (found) => found.length === (at === 'before' ? 1 : 2),
        30000,
        200,
      );
      expect(new Set(copies.map((m) => JSON.stringify(m))).size).toBe(1);
      expect(copies[0]).toMatchObject({
        lsMes: mapping.partnerAccount,
        counterNo: mapping.partnerMeter,
        t1: '4601,2',
        t2: '1911,4',
        src: 'kiosk',
      });
    },
  );
});
