import { Logger } from '@nestjs/common';
import { createKafka, ensureTopics, KafkaPublisher, MessageTooLargeError } from '@gw/messaging';
import { BrokerUnavailableError } from '@gw/platform';
import type { Admin } from 'kafkajs';
import { eventually, TopicTap, testKafka, testReplication } from '../support/infra';
import { proxyKafka } from '../support/tcp-proxy';

/** KafkaPublisher against the real broker: concurrent callers share produce requests. */
describe('KafkaPublisher', () => {
  const topic = `publisher-e2e-${process.env.E2E_RUN_ID}`;
  const kafka = testKafka('publisher-e2e');
  /** A topic that takes far less than the broker's default: 4 KiB a record batch. */
  const smallTopic = `publisher-e2e-small-${process.env.E2E_RUN_ID}`;
  const SMALL_TOPIC_BYTES = 4096;
  let admin: Admin;
  let publisher: KafkaPublisher;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(kafka, [{ topic, numPartitions: 3 }], testReplication());
    publisher = new KafkaPublisher(kafka, 10000);
  });

  afterAll(async () => {
    await publisher.close();
    await admin.deleteTopics({ topics: [topic, smallTopic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('delivers every message of many concurrent callers once, each caller in its order', async () => {
    const callers = 40;
    const each = 25;
    const tap = await TopicTap.open(kafka, topic);
    let received: string[];
    try {
      await Promise.all(
        Array.from({ length: callers }, (_, c) =>
          publisher.publish(
            topic,
            Array.from({ length: each }, (_, i) => ({
              key: `caller-${c}`,
              value: JSON.stringify(`${c}:${i}`),
            })),
          ),
        ),
      );
      received = await tap.waitFor<string>((all) => all, callers * each);
    } finally {
      await tap.close();
    }
    expect(received).toHaveLength(callers * each);
    for (let c = 0; c < callers; c += 1) {
      const mine = received.filter((v) => v.startsWith(`${c}:`));
      expect(mine).toEqual(Array.from({ length: each }, (_, i) => `${c}:${i}`));
    }
  });

  it('fails every waiting caller with BrokerUnavailableError when no broker answers', async () => {
    Logger.overrideLogger(false); // kafkajs would log every refused connection
    const nowhere = new KafkaPublisher(createKafka(['127.0.0.1:1'], 'publisher-e2e-nowhere'), 2000);
    const started = Date.now();
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map((n) => nowhere.publish(topic, [{ key: `k${n}`, value: 'v' }])),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    for (const r of results)
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(BrokerUnavailableError);
    expect(Date.now() - started).toBeLessThan(8000);
    await nowhere.close().catch(() => undefined);
  });

  it('lets go of its connections to a frozen broker after many timed-out calls, and publishes once it answers', async () => {
    Logger.overrideLogger(false); // kafkajs would log every request that times out
    const timeoutMs = 500;
    // A broker that accepts connections and answers nothing (a frozen process, a full disk).
    const { proxy, brokers } = await proxyKafka('open');
    proxy.stall();
    const frozen = new KafkaPublisher(createKafka([brokers], 'publisher-e2e-frozen'), timeoutMs);
    try {
      for (let n = 0; n < 40; n += 1) {
        const started = Date.now();
        await expect(frozen.publish(topic, [{ key: `k${n}`, value: 'v' }])).rejects.toBeInstanceOf(
          BrokerUnavailableError,
        );
        expect(Date.now() - started).toBeLessThan(timeoutMs + 500);
      }
      // Each timed-out call gave up a producer, and let go of its connection.
      await proxy.released();

      proxy.unstall();
      await eventually(
        () => frozen.publish(topic, [{ key: 'k', value: 'after' }]).then(() => 'published', String),
        (outcome) => outcome === 'published',
        30_000,
        200,
      );
    } finally {
      await frozen.close().catch(() => undefined);
      await proxy.close();
    }
  });

  describe('on a topic whose max.message.bytes is lower than a request the publisher makes', () => {
    beforeAll(async () => {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: smallTopic,
            numPartitions: 1,
            replicationFactor: testReplication().replicationFactor,
            configEntries: [{ name: 'max.message.bytes', value: String(SMALL_TOPIC_BYTES) }],
          },
        ],
      });
      await ensureTopics(kafka, [{ topic: smallTopic, numPartitions: 1 }], testReplication());
    });

    it('delivers, in order, a call whose messages each fit but together do not', async () => {
      // 40 messages of some 250 bytes on one partition: 10 KB, more than one batch the topic takes.
      const values = Array.from({ length: 40 }, (_, i) => JSON.stringify(`${i}`.padEnd(240, '.')));
      const tap = await TopicTap.open(kafka, smallTopic);
      try {
        await publisher.publish(
          smallTopic,
          values.map((value) => ({ key: 'one-account', value })),
        );
        const received = await tap.waitFor<string>((all) => all, values.length);
        expect(received).toEqual(values.map((v) => JSON.parse(v)));
      } finally {
        await tap.close();
      }
    });

    it('refuses a message larger than the topic takes at once, with MessageTooLargeError', async () => {
      const started = Date.now();
      const refused = publisher.publish(smallTopic, [
        { key: 'k', value: 'x'.repeat(SMALL_TOPIC_BYTES + 1) },
      ]);
      await expect(refused).rejects.toBeInstanceOf(MessageTooLargeError);
      // Not retried until the call's 10 s limit, as an outage would be.
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });
});
