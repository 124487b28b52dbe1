import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTopics, retryDelayMs } from '@gw/messaging';
import {
  CompressionCodecs,
  CompressionTypes,
  type ConsumerConfig,
  KafkaJSNotImplemented,
} from 'kafkajs';
import request from 'supertest';
import { eventually, testKafka, testReplication } from '../support/infra';
import { type BatchConsumerApp, startBatchConsumer } from './batch-consumer-app';

const LZ4 = CompressionTypes.LZ4 as keyof typeof CompressionCodecs;
// What kafkajs throws for a codec it lacks; its typings leave out the message it takes.
const NotImplemented = KafkaJSNotImplemented as unknown as new (message: string) => Error;
const sent = Array.from({ length: 20 }, (_, i) => `reading-${i}`);
const tuning = { retryMinMs: 200, retryMaxMs: 5000 };

/**
 * A batch kafkajs cannot decode never reaches the handler: kafkajs crashes the consumer for good,
 * and every new one meets the same batch. Here the broker compresses the topic with LZ4 and this
 * process reads it without the codec, as kafkajs does out of the box.
 */
describe('KafkaBatchServer and a batch kafkajs cannot decode', () => {
  const topic = `undecodable-batches-e2e-${process.env.E2E_RUN_ID}`;
  const kafka = testKafka('undecodable-batches-e2e');
  const lz4 = CompressionCodecs[LZ4];
  const crashes: number[] = [];
  let consumer: BatchConsumerApp | undefined;

  // Every consumer the transport creates, however many times it starts one anew.
  const newConsumer = kafka.consumer.bind(kafka);
  kafka.consumer = (config: ConsumerConfig) => {
    const created = newConsumer(config);
    created.on(created.events.CRASH, () => crashes.push(Date.now()));
    return created;
  };
  const ready = async () => (await request(consumer?.http).get('/health/ready')).status;

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 1,
          replicationFactor: testReplication().replicationFactor,
          configEntries: [{ name: 'compression.type', value: 'lz4' }],
        },
      ],
    });
    await admin.disconnect();
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }], testReplication());
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: sent.map((value) => ({ value })) });
    await producer.disconnect();
    CompressionCodecs[LZ4] = () => {
      throw new NotImplemented('LZ4 compression not implemented');
    };
  });

  afterAll(async () => {
    CompressionCodecs[LZ4] = lz4;
    await consumer?.app.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('backs off ever longer, unready throughout, and catches up once the batch can be read', async () => {
    const handled: string[] = [];
    consumer = await startBatchConsumer({
      brokers: (process.env.KAFKA_BROKERS as string).split(','),
      groupId: topic,
      topic,
      handler: async (batch) => void handled.push(...batch.messages.map((m) => String(m.value))),
      tuning,
      kafka,
    });

    const statuses: number[] = [];
    for (const until = Date.now() + 15000; Date.now() < until; await sleep(100))
      statuses.push(await ready());
    expect(handled).toEqual([]);
    expect(statuses.filter((status) => status !== 503)).toEqual([]);
    // No consumer got past the batch, so each waited twice as long as the one before it: 200 ms
    // doubling to 5 s leaves room for 7 crashes in 15 s, where a fixed 200 ms made some 65.
    expect(crashes.length).toBeGreaterThanOrEqual(4);
    expect(crashes.length).toBeLessThanOrEqual(7);
    crashes.slice(1).forEach((at, i) => {
      expect(at - crashes[i]).toBeGreaterThanOrEqual(retryDelayMs(i + 1, tuning));
    });

    const crashed = crashes.length;
    CompressionCodecs[LZ4] = lz4;
    await eventually(
      async () => handled.length,
      (n) => n >= sent.length,
      30000,
      250,
    );
    expect(handled).toEqual(sent);
    await eventually(ready, (status) => status === 200, 10000);
    expect(crashes).toHaveLength(crashed);
  });
});
