import { TOPICS } from '@gw/contracts';
import { moscowMidnight, toMoscowIso } from '@gw/domain';
import { ensureTopics } from '@gw/messaging';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { registryRecord, seedMeters, submission } from '../support/factories';
import {
  eventually,
  groupLag,
  testDatabase,
  testGroup,
  testKafka,
  testReplication,
} from '../support/infra';
import { startProcessor } from '../support/processor';
import { exited, spawnProcessor } from '../support/processor-process';

const METERS = 1000;
const DAYS = 30;

describe('reading-processor crash and redelivery', () => {
  const group = testGroup('crash');
  // A topic of its own: these tens of thousands of messages stay out of other tests' way.
  const topic = `${TOPICS.submitted}.crash-${process.env.E2E_RUN_ID}`;
  let kafka: Kafka;
  let db: DataSource;
  let ids: string[];

  const stored = async () =>
    Number(
      (
        await db.query('SELECT count(*) AS n FROM readings WHERE submission_id = ANY($1::uuid[])', [
          ids,
        ])
      )[0].n,
    );
  const snapshot = () =>
    db.query(
      `SELECT count(*)::int AS total, count(DISTINCT submission_id)::int AS distinct_ids,
              count(*) FILTER (WHERE status = 'accepted')::int AS accepted, max(decided_at) AS last_decided
         FROM readings WHERE submission_id = ANY($1::uuid[])`,
      [ids],
    );

  beforeAll(async () => {
    kafka = testKafka();
    db = await testDatabase();
    const meters = await seedMeters(
      db,
      Array.from({ length: METERS }, () =>
        registryRecord({ initial_t1: '00100.000', initial_on: '2026-10-31' }),
      ),
    );
    const messages = [];
    for (let day = 1; day <= DAYS; day += 1) {
      const readAt = new Date(
        moscowMidnight(`2026-11-${String(day).padStart(2, '0')}`).getTime() + 9 * 3600_000,
      );
      for (const meter of meters) {
        messages.push(
          submission({
            accountNumber: meter.accountNumber,
            meterSerial: meter.serial,
            values: [{ zone: 'T1', value: `${100 + day}.000` }],
            readAt: toMoscowIso(readAt),
            receivedAt: toMoscowIso(new Date(readAt.getTime() + 1000)),
          }),
        );
      }
    }
    ids = messages.map((m) => m.submissionId);
    await ensureTopics(kafka, [{ topic, numPartitions: 6 }], testReplication());
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    for (let i = 0; i < messages.length; i += 5000) {
      await producer.send({
        topic,
        acks: -1,
        messages: messages
          .slice(i, i + 5000)
          .map((m) => ({ key: m.accountNumber, value: JSON.stringify(m) })),
      });
    }
    await producer.disconnect();
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await db?.destroy();
  });

  it('loses nothing and duplicates nothing when killed mid-stream and restarted', async () => {
    const slow = {
      PROCESSOR_GROUP_ID: group,
      PROCESSOR_TOPIC: topic,
      PROCESSOR_CONCURRENCY: '1',
      PROCESSOR_MAX_BYTES_PER_PARTITION: '65536',
    };
    const first = spawnProcessor(slow);
    const atKill = await eventually(stored, (n) => n > 0, 60000, 20);
    first.kill('SIGKILL');
    await exited(first);
    expect(atKill).toBeLessThan(ids.length);

    const second = spawnProcessor({ PROCESSOR_GROUP_ID: group, PROCESSOR_TOPIC: topic });
    try {
      await eventually(stored, (n) => n === ids.length, 120000, 200);
      await eventually(
        () => groupLag(kafka, group, topic),
        (lag) => lag === 0,
        60000,
        200,
      );
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }
    const [counts] = await snapshot();
    expect(counts).toMatchObject({
      total: ids.length,
      distinct_ids: ids.length,
      accepted: ids.length,
    });
  });

  it('stores nothing twice when every batch is delivered again from the first offset', async () => {
    const [before] = await snapshot();
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: group, topic, earliest: true });
    await admin.disconnect();
    expect(await groupLag(kafka, group, topic)).toBeGreaterThanOrEqual(ids.length);

    const processor = await startProcessor({ PROCESSOR_GROUP_ID: group, PROCESSOR_TOPIC: topic });
    try {
      await eventually(
        () => groupLag(kafka, group, topic),
        (lag) => lag === 0,
        120000,
        200,
      );
    } finally {
      await processor.close();
    }
    const [after] = await snapshot();
    expect(after).toEqual(before);
  });
});
