import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createKafka, ensureTopics } from '@gw/messaging';
import request from 'supertest';
import { eventually, testReplication } from '../support/infra';
import { type BatchConsumerApp, startBatchConsumer } from './batch-consumer-app';

const run = promisify(execFile);
const SCRIPTS = resolve(__dirname, '..', '..', 'deploy', 'kafka-local');
// A broker of this test's own, so stopping it disturbs no one sharing the usual one.
const PORT = 29100 + (process.pid % 400) * 2;
const BROKER_ENV = {
  ...process.env,
  KAFKA_PORT: String(PORT),
  KAFKA_CONTROLLER_PORT: String(PORT + 1),
  KAFKA_DATA_DIR: `/tmp/kafka-batch-consumer-e2e-${process.env.E2E_RUN_ID}`,
};
const broker = (script: 'start.sh' | 'stop.sh') =>
  run('bash', [resolve(SCRIPTS, script)], { env: BROKER_ENV, timeout: 180000 });

/** The batch transport while its broker is missing at boot, then restarted under it. */
describe('KafkaBatchServer and a broker that comes and goes', () => {
  const topic = `batch-consumer-broker-e2e-${process.env.E2E_RUN_ID}`;
  const brokers = [`127.0.0.1:${PORT}`];
  const kafka = createKafka(brokers, 'batch-consumer-broker-e2e');
  const handled: string[] = [];
  let consumer: BatchConsumerApp | undefined;

  const ready = async () => (await request(consumer?.http).get('/health/ready')).status;
  const send = async (value: string) => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value }] });
    await producer.disconnect();
  };
  const handledOnce = (value: string) =>
    eventually(
      async () => handled.filter((v) => v === value).length,
      (n) => n === 1,
      60000,
      250,
    );

  afterAll(async () => {
    await consumer?.app.close();
    await broker('stop.sh');
    await rm(BROKER_ENV.KAFKA_DATA_DIR, { recursive: true, force: true });
  });

  it('boots without its broker, turns ready once it appears, and again after it restarts', async () => {
    consumer = await startBatchConsumer({
      brokers,
      groupId: topic,
      topic,
      handler: async (batch) => void handled.push(...batch.messages.map((m) => String(m.value))),
      tuning: { retryMinMs: 200, retryMaxMs: 2000 },
    });
    await request(consumer.http).get('/health/live').expect(200);
    expect(await ready()).toBe(503);

    await broker('start.sh');
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }], testReplication());
    await eventually(ready, (status) => status === 200, 60000, 500);
    await send('before the restart');
    await handledOnce('before the restart');

    await broker('stop.sh');
    await eventually(ready, (status) => status === 503, 60000, 500);
    await broker('start.sh');
    await eventually(ready, (status) => status === 200, 90000, 500);
    await send('after the restart');
    await handledOnce('after the restart');
  }, 420000);
});
