import type { INestApplication } from '@nestjs/common';
import { DLQ_HEADERS, TOPICS } from '@gw/contracts';
import {
  type Admin,
  CompressionTypes,
  ConfigResourceTypes,
  ConfigSource,
  type IHeaders,
  type Kafka,
  type Producer,
} from 'kafkajs';
import type { DataSource } from 'typeorm';
import { seedMeters } from '../support/factories';
import { eventually, groupLag, testDatabase, testKafka, TopicTap } from '../support/infra';
import { FEED_GROUP, startFeed, startGroupAtEnd } from './feed';
import { electricityRecord, partnerIds, partnerMessage, seedPartnerMap } from './partner-factories';

jest.setTimeout(180_000);

/** What the broker takes on a topic without a limit of its own (message.max.bytes). */
const BROKER_LIMIT_BYTES = 1_048_588;
const NEAR_LIMIT_BYTES = 1_048_400;
/** What a dead-letter topic takes beyond its source's, as `ctl kafka topics` sets it. */
const HEADROOM_BYTES = 64 * 1024;

/** A topic's own settings, as AlterConfigs takes them: it replaces them all. */
async function topicSettings(admin: Admin, topic: string) {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
  });
  return resources[0].configEntries
    .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG)
    .map((e) => ({ name: e.configName, value: e.configValue }));
}

async function setTopic(admin: Admin, topic: string, entries: { name: string; value: string }[]) {
  await admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: entries }],
  });
}

async function setLimit(admin: Admin, topic: string, bytes: number) {
  const kept = (await topicSettings(admin, topic)).filter((e) => e.name !== 'max.message.bytes');
  await setTopic(admin, topic, [...kept, { name: 'max.message.bytes', value: String(bytes) }]);
}

/** Fetches as large as the processor's, so that one batch can carry two letters of 600 KB. */
const startWideFeed = () =>
  startFeed({ MOSENERGOSBYT_MAX_BYTES_PER_PARTITION: String(2 * 1024 * 1024) });

/**
 * Contract section 7.5 and integrators.md "Malformed messages: the DLQ": a malformed partner
 * message goes to the DLQ with its bytes and headers and the feed keeps flowing, however large the
 * message was that the partner topic took. The topic is provisioned to take batches of 64 KiB;
 * an operator may raise that to the brokers' limit (operations.md), as this suite does while it
 * runs: the DLQ first, so that it takes a letter of anything the topic takes at every moment.
 */
describe('mosenergosbyt-feed: dead letters of partner messages as large as the topic takes', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let submissions: TopicTap;
  let dlq: TopicTap;
  let feed: INestApplication | undefined;
  let admin: Admin;
  let provisioned: { name: string; value: string }[];

  beforeAll(async () => {
    kafka = testKafka('oversized-partner-letters');
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    provisioned = await topicSettings(admin, TOPICS.partnerReadings);
    await setLimit(admin, TOPICS.partnerReadingsDlq, BROKER_LIMIT_BYTES + HEADROOM_BYTES);
    await setLimit(admin, TOPICS.partnerReadings, BROKER_LIMIT_BYTES);
    db = await testDatabase();
    [submissions, dlq] = await Promise.all([
      TopicTap.open(kafka, TOPICS.submitted),
      TopicTap.open(kafka, TOPICS.partnerReadingsDlq),
      startGroupAtEnd(kafka, FEED_GROUP, [TOPICS.partnerReadings, TOPICS.outcomes]),
    ]);
  });

  afterAll(async () => {
    await feed?.close();
    await submissions?.close();
    await dlq?.close();
    if (provisioned) await setTopic(admin, TOPICS.partnerReadings, provisioned);
    await admin?.disconnect();
    await producer?.disconnect();
    await db?.destroy();
  });

  const send = (partition: number, key: string, value: string, headers?: IHeaders) =>
    producer.send({
      topic: TOPICS.partnerReadings,
      acks: -1,
      messages: [{ partition, key, value, headers }],
    });

  /** A valid message of a mapped meter: published as a submission once the feed gets to it. */
  const goodMessage = async () => {
    const [meter] = await seedMeters(db, [electricityRecord()]);
    const ids = partnerIds();
    await seedPartnerMap(db, [
      { ...ids, accountNumber: meter.accountNumber, serial: meter.serial },
    ]);
    return partnerMessage(ids);
  };

  const published = (msgId: string) =>
    eventually(
      async () => submissions.ours().filter((m) => m.value?.toString().includes(`"${msgId}"`)),
      (found) => found.length >= 1,
      60_000,
      250,
    );

  /** The letters of records whose value starts with `marker`, one per original offset. */
  const lettersStartingWith = (marker: string, count: number) =>
    eventually(
      async () => {
        const letters = dlq
          .ours()
          .filter((m) => m.value?.subarray(0, marker.length).toString() === marker);
        // Dead letters are sent at least once: a batch tried again may send its letters again.
        return [...new Map(letters.map((m) => [m.headers['x-original-offset'], m])).values()];
      },
      (found) => found.length === count,
      30_000,
      250,
    );

  const caughtUp = () =>
    eventually(
      () => groupLag(kafka, FEED_GROUP, TOPICS.partnerReadings),
      (lag) => lag === 0,
      30_000,
      250,
    );

  it('moves on past two letters whose headers together exceed what one request may carry', async () => {
    const good = await goodMessage();
    const marker = `not json ${good.msgId}`;
    const pad = 'h'.repeat(600 * 1024);
    // On the topic before the feed starts, so that one batch carries both.
    for (const n of [1, 2]) await send(1, good.lsMes, `${marker} ${n}`, { 'x-pad': pad });
    await send(1, good.lsMes, JSON.stringify(good));
    feed = await startWideFeed();

    await published(good.msgId);
    const dead = await lettersStartingWith(marker, 2);
    expect(
      dead.map((m) => [m.value?.toString(), m.headers['x-pad'], m.headers[DLQ_HEADERS.error]]),
    ).toEqual([
      [`${marker} 1`, pad, 'MALFORMED'],
      [`${marker} 2`, pad, 'MALFORMED'],
    ]);
    await caughtUp();
  });

  it('moves on past a malformed message just under the broker limit, its bytes kept in the DLQ', async () => {
    feed ??= await startWideFeed();
    const good = await goodMessage();
    const marker = `not json ${good.msgId}`;
    const big = marker.padEnd(NEAR_LIMIT_BYTES, 'x');
    await send(2, good.lsMes, big);
    await send(2, good.lsMes, JSON.stringify(good));

    await published(good.msgId);
    const [dead] = await lettersStartingWith(marker, 1);
    expect(dead.value?.equals(Buffer.from(big))).toBe(true);
    expect(dead.headers).toMatchObject({
      [DLQ_HEADERS.error]: 'MALFORMED',
      'x-original-topic': TOPICS.partnerReadings,
      'x-original-partition': '2',
    });
    expect(dead.headers['x-original-omitted']).toBeUndefined();
    await caughtUp();
  });

  it('moves on past a compressed message larger uncompressed than a request the broker takes, the letter without it', async () => {
    feed ??= await startWideFeed();
    const good = await goodMessage();
    // 110 MiB of one byte: some 110 KB gzipped, a record the topic takes. Its letter goes over
    // the broker's socket.request.max.bytes (100 MiB), which closes the connection on it.
    const value = Buffer.alloc(110 * 1024 * 1024, 'x');
    await producer.send({
      topic: TOPICS.partnerReadings,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: [{ partition: 0, key: good.lsMes, value }],
    });
    await send(0, good.lsMes, JSON.stringify(good));

    await published(good.msgId);
    const [dead] = await eventually(
      async () =>
        dlq
          .ours()
          .filter(
            (m) =>
              m.headers['x-original-partition'] === '0' &&
              m.key === good.lsMes &&
              m.headers['x-original-omitted'] !== undefined,
          ),
      (found) => found.length > 0,
    );
    expect(dead.value?.length ?? 0).toBe(0);
    expect(dead.headers).toMatchObject({
      [DLQ_HEADERS.error]: 'MALFORMED',
      'x-original-topic': TOPICS.partnerReadings,
    });
    expect(dead.headers['x-original-omitted']).toContain(' value and headers are left out');
    await caughtUp();
  });
});
