import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTopics } from '@gw/messaging';
import type { Admin, Producer } from 'kafkajs';
import request from 'supertest';
import { eventually, testKafka, testReplication } from '../support/infra';
import { type BatchConsumerApp, startBatchConsumer } from './batch-consumer-app';

const STALL_SECONDS = 3;

/**
 * A transactional producer leaves offsets with nothing to handle: an aborted transaction's records
 * and every transaction's marker. kafkajs filters them out; the transport still commits past them,
 * or the partition would count as behind and, after the stall time, turn readiness red.
 */
describe('KafkaBatchServer and transactional producers', () => {
  const topic = `transactional-batches-e2e-${process.env.E2E_RUN_ID}`;
  const kafka = testKafka('transactional-batches-e2e');
  const handled: string[] = [];
  let admin: Admin;
  let plain: Producer;
  let transactional: Producer;
  let consumer: BatchConsumerApp;

  const lag = async () => {
    const [ends, [offsets]] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId: topic, topics: [topic] }),
    ]);
    return Number(ends[0].high) - Number(offsets.partitions[0].offset);
  };
  const caughtUp = () => eventually(lag, (n) => n === 0, 15000, 250);
  const ready = async () => (await request(consumer.http).get('/health/ready')).status;
  const handledOnce = (value: string) =>
    eventually(
      async () => handled.filter((v) => v === value).length,
      (n) => n === 1,
      15000,
    );
  const inTransaction = async (values: string[], end: 'commit' | 'abort') => {
    const transaction = await transactional.transaction();
    await transaction.send({ topic, messages: values.map((value) => ({ partition: 0, value })) });
    await transaction[end]();
  };

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }], testReplication());
    plain = kafka.producer({ idempotent: true });
    await plain.connect();
    transactional = kafka.producer({
      transactionalId: topic,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await transactional.connect();
    consumer = await startBatchConsumer({
      brokers: (process.env.KAFKA_BROKERS as string).split(','),
      groupId: topic,
      topic,
      handler: async (batch) => void handled.push(...batch.messages.map((m) => String(m.value))),
      tuning: { stallSeconds: STALL_SECONDS },
    });
    await eventually(ready, (status) => status === 200, 30000);
    await plain.send({ topic, acks: -1, messages: [{ partition: 0, value: 'plain' }] });
    await handledOnce('plain');
    await caughtUp();
  });

  afterAll(async () => {
    await consumer?.app.close();
    await transactional?.disconnect();
    await plain?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('commits past an aborted transaction at the end of the partition: no lag, no stall', async () => {
    await inTransaction(['aborted'], 'abort');

    await caughtUp();
    // Past the stall time: a partition still behind would be named in readiness by now.
    await sleep(STALL_SECONDS * 1000 + 2000);
    expect(await ready()).toBe(200);
    expect(await lag()).toBe(0);
    expect(handled).not.toContain('aborted');
  });

  it("handles a committed transaction's records once and commits past its marker", async () => {
    await inTransaction(['committed-1', 'committed-2'], 'commit');

    await handledOnce('committed-2');
    await caughtUp();
  });

  it('commits past the marker of a transaction too large to share a fetch with it', async () => {
    // Larger than the harness's bytes per partition: a fetch brings this record alone.
    const large = 'x'.repeat(100_000);
    await inTransaction([large], 'commit');

    await handledOnce(large);
    await caughtUp();
  });

  it('handles an ordinary record after an aborted one once', async () => {
    await inTransaction(['aborted-again'], 'abort');
    await plain.send({ topic, acks: -1, messages: [{ partition: 0, value: 'after' }] });

    await handledOnce('after');
    await caughtUp();
    expect(await ready()).toBe(200);
    expect(handled.map((v) => v.slice(0, 12))).toEqual([
      'plain',
      'committed-1',
      'committed-2',
      'xxxxxxxxxxxx',
      'after',
    ]);
  });
});
