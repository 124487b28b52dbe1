import { type ConsumerTuning, ensureTopics } from '@gw/messaging';
import type { Admin, Consumer, Producer } from 'kafkajs';
import request from 'supertest';
import { eventually, testKafka, testReplication } from '../support/infra';
import { type BatchConsumerApp, type BatchHandler, startBatchConsumer } from './batch-consumer-app';

/** The batch transport against the real broker: failures retried in place, stalls reported. */
describe('KafkaBatchServer', () => {
  const topic = `batch-consumer-e2e-${process.env.E2E_RUN_ID}`;
  const groupId = `batch-consumer-e2e-${process.env.E2E_RUN_ID}`;
  const kafka = testKafka('batch-consumer-e2e');
  let admin: Admin;
  let producer: Producer;
  let consumer: BatchConsumerApp;
  const byPartition = new Map<number, BatchHandler>();
  const crashes: unknown[] = [];
  let joins = 0;

  const ready = async () => {
    const res = await request(consumer.http).get('/health/ready');
    return { status: res.status, body: res.body };
  };
  const committed = async (partition: number) => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets.partitions.find((p) => p.partition === partition)?.offset;
  };
  const metric = async (name: string, partition: number) => {
    const text = (await request(consumer.http).get('/metrics')).text;
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`${name}{topic="${topic}",partition="${partition}"}`));
    return line === undefined ? undefined : Number(line.split(' ')[1]);
  };
  /**
   * The lag gauge once it reads `lag`: a periodic refresh that read the group's offsets just
   * before a commit may overwrite the commit's value with the older one until its next round.
   */
  const lagBecomes = (partition: number, lag: number) =>
    eventually(
      () => metric('consumer_lag_messages', partition),
      (value) => value === lag,
      5000,
    );
  const send = (partition: number, count: number) =>
    producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: count }, (_, i) => ({ partition, value: `m${i}` })),
    });

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(kafka, [{ topic, numPartitions: 2 }], testReplication());
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    consumer = await startBatchConsumer({
      brokers: (process.env.KAFKA_BROKERS as string).split(','),
      groupId,
      topic,
      handler: async (batch) => byPartition.get(batch.partition)?.(batch),
      tuning: { retryMinMs: 100, retryMaxMs: 1000, stallSeconds: 3 },
    });
    const kafkaConsumer = consumer.server.unwrap<Consumer>();
    kafkaConsumer.on(kafkaConsumer.events.CRASH, (e) => crashes.push(e.payload.error.message));
    kafkaConsumer.on(kafkaConsumer.events.GROUP_JOIN, () => (joins += 1));
    await eventually(ready, (r) => r.status === 200, 30000);
  });

  afterAll(async () => {
    await consumer?.app.close();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('retries a failing batch in place with backoff, handles it once, commits, and never restarts', async () => {
    const attempts: number[] = [];
    const handled: string[] = [];
    let failures = 3;
    byPartition.set(0, async (batch) => {
      attempts.push(Date.now());
      if (failures > 0) {
        failures -= 1;
        throw new Error('the database is unreachable');
      }
      handled.push(...batch.messages.map((m) => m.offset));
    });
    const joinsBefore = joins;
    const before = Number((await committed(0)) ?? -1);
    const start = Math.max(0, before);
    await send(0, 5);

    await eventually(
      () => committed(0),
      (offset) => Number(offset) === start + 5,
      30000,
    );
    expect(handled).toEqual(['0', '1', '2', '3', '4'].map((o) => String(start + Number(o))));
    expect(attempts).toHaveLength(4);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
    [100, 200, 400].forEach((delay, i) => expect(gaps[i]).toBeGreaterThanOrEqual(delay - 5));
    expect(crashes).toEqual([]);
    expect(joins).toBe(joinsBefore);
    expect((await ready()).status).toBe(200);
    await lagBecomes(0, 0);
    const lastCommit = await metric('consumer_last_commit_timestamp_seconds', 0);
    expect(Math.abs((lastCommit ?? 0) - Date.now() / 1000)).toBeLessThan(30);
  });

  it('names a partition stalled behind a failing batch in readiness, and clears it once it moves', async () => {
    let stuck = true;
    byPartition.set(1, async () => {
      if (stuck) throw new Error('the broker is unreachable');
    });
    const before = Math.max(0, Number((await committed(1)) ?? -1));
    await send(1, 3);

    const red = await eventually(ready, (r) => r.status === 503, 30000, 250);
    expect(red.body.checks.consumer).toBe('down');
    expect(red.body.details.consumer.stalled).toEqual([
      expect.objectContaining({ topic, partition: 1, lag: 3 }),
    ]);
    expect(await metric('consumer_lag_messages', 1)).toBe(3);
    // Never committed by this process: the commit clock runs from the takeover, so the
    // PartitionStalled alert (lag and no commit for 5 minutes) sees it too.
    const sinceCommit =
      Date.now() / 1000 - ((await metric('consumer_last_commit_timestamp_seconds', 1)) ?? 0);
    expect(sinceCommit).toBeGreaterThanOrEqual(3);
    expect(sinceCommit).toBeLessThan(120);
    expect(crashes).toEqual([]);

    stuck = false;
    await eventually(ready, (r) => r.status === 200, 30000, 250);
    expect(Number(await committed(1))).toBe(before + 3);
    await lagBecomes(1, 0);
    expect(crashes).toEqual([]);
  });
});

/** Closing the transport: the batch in hand finishes and commits, within a bound, and the member leaves. */
describe('KafkaBatchServer close', () => {
  const kafka = testKafka('batch-consumer-close-e2e');
  let admin: Admin;
  let producer: Producer;
  let serial = 0;

  /** A fresh topic and group with 3 messages on partition 0, and a consumer of them. */
  const consumerOf = async (handler: BatchHandler, tuning: Partial<ConsumerTuning> = {}) => {
    serial += 1;
    const topic = `batch-consumer-close-e2e-${process.env.E2E_RUN_ID}-${serial}`;
    const groupId = topic;
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }], testReplication());
    await producer.send({
      topic,
      acks: -1,
      messages: ['a', 'b', 'c'].map((value) => ({ partition: 0, value })),
    });
    const consumer = await startBatchConsumer({
      brokers: (process.env.KAFKA_BROKERS as string).split(','),
      groupId,
      topic,
      handler,
      tuning,
    });
    const group = async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const { groups } = await admin.describeGroups([groupId]);
      // Members, not the state: an empty group with no offsets may be deleted (Dead) at any moment.
      return { committed: Number(offsets.partitions[0].offset), members: groups[0].members.length };
    };
    const closed = async () => {
      const started = Date.now();
      await consumer.app.close();
      return Date.now() - started;
    };
    return { group, closed, topic, kafkaConsumer: consumer.server.unwrap<Consumer>() };
  };
  const signal = () => {
    let fire = () => {};
    const fired = new Promise<void>((resolve) => (fire = resolve));
    return { fire, fired };
  };

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
  });

  it('lets the batch in hand finish, commits it, and leaves the group', async () => {
    const inHand = signal();
    const handled: string[] = [];
    const { group, closed } = await consumerOf(async (batch) => {
      inHand.fire();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      handled.push(...batch.messages.map((m) => m.offset));
    });
    await inHand.fired;

    const took = await closed();
    expect(handled).toEqual(['0', '1', '2']);
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(10000);
    expect(await group()).toEqual({ committed: 3, members: 0 });
  });

  it('keeps its place in the group through an attempt longer than the session', async () => {
    let calls = 0;
    const { group, closed, kafkaConsumer } = await consumerOf(
      async () => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 8000));
      },
      { sessionTimeoutMs: 6000 },
    );
    let rejoins = 0;
    kafkaConsumer.on(kafkaConsumer.events.GROUP_JOIN, () => (rejoins += 1));

    await eventually(group, (g) => g.committed === 3, 30000, 250);
    expect(calls).toBe(1);
    expect(rejoins).toBe(0);
    await closed();
  });

  it('stops retrying a failing batch at once, committing nothing', async () => {
    const failed = signal();
    let calls = 0;
    const { group, closed } = await consumerOf(
      async () => {
        calls += 1;
        failed.fire();
        throw new Error('the database is unreachable');
      },
      { retryMinMs: 5000 },
    );
    await failed.fired;

    expect(await closed()).toBeLessThan(3000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(calls).toBe(1);
    expect(await group()).toEqual({ committed: -1, members: 0 });
  });

  it('gives up waiting for a batch that outlasts the drain timeout', async () => {
    const inHand = signal();
    const release = signal();
    const { group, closed } = await consumerOf(
      async () => {
        inHand.fire();
        await release.fired;
      },
      { drainTimeoutMs: 1000 },
    );
    await inHand.fired;

    const took = await closed();
    const committed = (await group()).committed;
    release.fire();
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(3000);
    expect(committed).toBe(-1);
    // The batch let go of still ends its own way, after which the member leaves.
    await eventually(group, (g) => g.members === 0, 30000, 250);
  });
});
