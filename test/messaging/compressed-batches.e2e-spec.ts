import { ensureTopics, headerText, type InboundMessage } from '@gw/messaging';
import type { Consumer, Kafka } from 'kafkajs';
import request from 'supertest';
import { eventually, testKafka, testReplication } from '../support/infra';
import { type BatchConsumerApp, startBatchConsumer } from './batch-consumer-app';

/** Enough readings that the broker's compressed batch spans several LZ4 and Snappy blocks. */
const sent = Array.from({ length: 400 }, (_, i) => ({
  key: `account-${i % 37}`,
  value: JSON.stringify({
    msgId: `compressed-${i}`,
    meter: `Меркурий 201.${i}`,
    t1: `${(1000 + i * 7.31).toFixed(2)}`,
    note: `показания счётчика №${i} `.repeat(1 + (i % 9)),
  }),
  headers: { traceparent: `00-${String(i).padStart(32, '0')}-${'1'.repeat(16)}-01` },
}));

const intact = (m: InboundMessage) => ({
  key: String(m.key),
  value: String(m.value),
  headers: Object.fromEntries(Object.keys(m.headers).map((h) => [h, headerText(m.headers, h)])),
});

/**
 * A topic whose `compression.type` names a codec makes the broker store every batch compressed
 * with it, whatever the producer sent: what a partner's topic, or one an operator configured,
 * hands the gateway. kafkajs reads only gzip itself.
 */
describe.each(['gzip', 'snappy', 'lz4', 'zstd'])('KafkaBatchServer on a %s topic', (codec) => {
  const topic = `compressed-batches-${codec}-e2e-${process.env.E2E_RUN_ID}`;
  let kafka: Kafka;
  let consumer: BatchConsumerApp | undefined;

  beforeAll(async () => {
    kafka = testKafka('compressed-batches-e2e');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 1,
          replicationFactor: testReplication().replicationFactor,
          configEntries: [{ name: 'compression.type', value: codec }],
        },
      ],
    });
    await admin.disconnect();
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }], testReplication());
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();
  });

  afterAll(async () => {
    await consumer?.app.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('hands every message to the handler intact, without a crash', async () => {
    const handled: InboundMessage[] = [];
    const crashes: string[] = [];
    consumer = await startBatchConsumer({
      brokers: (process.env.KAFKA_BROKERS as string).split(','),
      groupId: topic,
      topic,
      handler: async (batch) => void handled.push(...batch.messages),
    });
    const kafkaConsumer = consumer.server.unwrap<Consumer>();
    kafkaConsumer.on(kafkaConsumer.events.CRASH, (e) => crashes.push(e.payload.error.message));

    await eventually(
      async () => handled.length,
      (n) => n >= sent.length,
      30000,
      250,
    );
    expect(handled.map(intact)).toEqual(sent);
    expect(crashes).toEqual([]);
    await request(consumer.http).get('/health/ready').expect(200);
  });
});
