import type { INestApplication } from '@nestjs/common';
import { DLQ_HEADERS, type OutcomeMessage, TOPICS } from '@gw/contracts';
import { CompressionTypes, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
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

jest.setTimeout(180_000);

/** What the broker takes on a topic without a limit of its own (message.max.bytes 1,048,588). */
const NEAR_LIMIT_BYTES = 1_048_400;

/**
 * Contract section 2: an undecodable record goes to the DLQ with its original bytes and the
 * partition moves on, however large the record was that the submission topic took. A letter is
 * the record plus headers, and several letters must not go to the broker as one oversized request.
 */
describe('reading-processor: dead letters of records as large as the topic takes', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let outcomes: TopicTap;
  let dlq: TopicTap;
  let processor: INestApplication | undefined;

  beforeAll(async () => {
    kafka = testKafka('oversized-dead-letters');
    producer = kafka.producer();
    await producer.connect();
    db = await testDatabase();
    [outcomes, dlq] = await Promise.all([
      TopicTap.open(kafka, TOPICS.outcomes),
      TopicTap.open(kafka, TOPICS.submittedDlq),
    ]);
  });

  afterAll(async () => {
    await processor?.close();
    await outcomes?.close();
    await dlq?.close();
    await producer?.disconnect();
    await db?.destroy();
  });

  const send = (partition: number, key: string, value: string, headers?: IHeaders) =>
    producer.send({
      topic: TOPICS.submitted,
      acks: -1,
      messages: [{ partition, key, value, headers }],
    });

  /** A meter's valid submission, decided only once the records before it are out of the way. */
  const goodSubmission = async () => {
    const [meter] = await seedMeters(db, [registryRecord()]);
    return submission({ accountNumber: meter.accountNumber, meterSerial: meter.serial });
  };

  const decided = async (submissionId: string) => {
    const [outcome] = await outcomes.waitFor<OutcomeMessage>(
      (all) => all.filter((o) => o.submissionId === submissionId),
      1,
      60_000,
    );
    return outcome;
  };

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
      () => groupLag(kafka, testGroup('reading-processor'), TOPICS.submitted),
      (lag) => lag === 0,
      30_000,
      250,
    );

  it('moves on past two letters whose headers together exceed what one request may carry', async () => {
    const good = await goodSubmission();
    const marker = `not json ${good.submissionId}`;
    const pad = 'h'.repeat(600 * 1024);
    // On the topic before the processor starts, so that one batch carries both.
    for (const n of [1, 2]) await send(1, good.accountNumber, `${marker} ${n}`, { 'x-pad': pad });
    await send(1, good.accountNumber, JSON.stringify(good));
    processor = await startProcessor();

    expect((await decided(good.submissionId)).status).toBe('accepted');
    const dead = await lettersStartingWith(marker, 2);
    expect(
      dead.map((m) => [m.value?.toString(), m.headers['x-pad'], m.headers[DLQ_HEADERS.error]]),
    ).toEqual([
      [`${marker} 1`, pad, 'UNDECODABLE'],
      [`${marker} 2`, pad, 'UNDECODABLE'],
    ]);
    await caughtUp();
  });

  it('moves on past an undecodable record just under the broker limit, its bytes kept in the DLQ', async () => {
    processor ??= await startProcessor();
    const good = await goodSubmission();
    const marker = `not json ${good.submissionId}`;
    const big = marker.padEnd(NEAR_LIMIT_BYTES, 'x');
    await send(2, good.accountNumber, big);
    await send(2, good.accountNumber, JSON.stringify(good));

    expect((await decided(good.submissionId)).status).toBe('accepted');
    const [dead] = await lettersStartingWith(marker, 1);
    expect(dead.value?.equals(Buffer.from(big))).toBe(true);
    expect(dead.headers).toMatchObject({
      [DLQ_HEADERS.error]: 'UNDECODABLE',
      'x-original-topic': TOPICS.submitted,
      'x-original-partition': '2',
    });
    expect(dead.headers['x-original-omitted']).toBeUndefined();
    await caughtUp();
  });

  it('moves on past an undecodable record whose key is as large as the topic takes, the key kept', async () => {
    processor ??= await startProcessor();
    const good = await goodSubmission();
    const marker = `not json ${good.submissionId}`;
    // The dead letter goes with this key, which the producer hashes to pick the DLQ's partition.
    const key = 'k'.repeat(NEAR_LIMIT_BYTES - 1024);
    await send(3, key, marker);
    await send(3, good.accountNumber, JSON.stringify(good));

    expect((await decided(good.submissionId)).status).toBe('accepted');
    const [dead] = await lettersStartingWith(marker, 1);
    expect(dead.key).toBe(key);
    expect(dead.headers).toMatchObject({
      [DLQ_HEADERS.error]: 'UNDECODABLE',
      'x-original-partition': '3',
    });
    await caughtUp();
  });

  it('moves on past a compressed record whose key is larger than the DLQ takes, the letter without it', async () => {
    processor ??= await startProcessor();
    const good = await goodSubmission();
    const marker = `not json ${good.submissionId}`;
    // Compressed, the record fits the topic; its key alone, uncompressed, does not fit the DLQ.
    await producer.send({
      topic: TOPICS.submitted,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: [{ partition: 4, key: 'k'.repeat(2 * 1024 * 1024), value: marker }],
    });
    await send(4, good.accountNumber, JSON.stringify(good));

    expect((await decided(good.submissionId)).status).toBe('accepted');
    const [dead] = await eventually(
      async () =>
        dlq
          .ours()
          .filter(
            (m) =>
              m.headers['x-original-partition'] === '4' &&
              m.headers['x-original-omitted']?.includes(' key, value and headers '),
          ),
      (found) => found.length > 0,
    );
    expect(dead.key).toBeNull();
    expect(dead.value?.length ?? 0).toBe(0);
    expect(dead.headers).toMatchObject({
      [DLQ_HEADERS.error]: 'UNDECODABLE',
      [DLQ_HEADERS.reason]: 'value is not valid JSON',
      'x-original-topic': TOPICS.submitted,
    });
    await caughtUp();
  });
});
