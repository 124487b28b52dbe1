import type { ChildProcess } from 'node:child_process';
import { TOPICS } from '@gw/contracts';
import { ensureTopics } from '@gw/messaging';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { submission } from '../support/factories';
import { eventually, testDatabase, testGroup, testKafka, testReplication } from '../support/infra';
import { exited, spawnProcessor } from '../support/processor-process';

const PARTITIONS = 6;

/**
 * Two processors share a group under a steady load; one dies or is stopped. How long the
 * partitions it owned go without decisions is bounded by the session timeout (killed) or by a
 * clean leave (stopped).
 */
describe('reading-processor takeover', () => {
  const group = testGroup('takeover');
  const topic = `${TOPICS.submitted}.takeover-${process.env.E2E_RUN_ID}`;
  const env = { PROCESSOR_GROUP_ID: group, PROCESSOR_TOPIC: topic };
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let db: DataSource;
  let load: NodeJS.Timeout;
  const processors: ChildProcess[] = [];

  const start = () => {
    const child = spawnProcessor(env);
    processors.push(child);
    return child;
  };
  const members = async () => {
    const { groups } = await admin.describeGroups([group]);
    return { state: groups[0].state, count: groups[0].members.length };
  };
  const groupOf = (count: number) =>
    eventually(members, (m) => m.state === 'Stable' && m.count === count, 180000, 250);
  const send = (messages: ReturnType<typeof submission>[], partition?: number) =>
    producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({
        partition,
        key: m.accountNumber,
        value: JSON.stringify(m),
      })),
    });
  /** One submission to every partition; resolves with the ms until all of them are decided. */
  const probe = async () => {
    const probes = Array.from({ length: PARTITIONS }, () => submission());
    const sent = Date.now();
    await Promise.all(probes.map((m, partition) => send([m], partition)));
    const ids = probes.map((m) => m.submissionId);
    await eventually(
      async () =>
        Number(
          (
            await db.query(
              'SELECT count(*) AS n FROM readings WHERE submission_id = ANY($1::uuid[])',
              [ids],
            )
          )[0].n,
        ),
      (n) => n === PARTITIONS,
      60000,
      50,
    );
    return Date.now() - sent;
  };

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    db = await testDatabase();
    await ensureTopics(kafka, [{ topic, numPartitions: PARTITIONS }], testReplication());
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    load = setInterval(
      () => void send(Array.from({ length: 20 }, () => submission())).catch(() => undefined),
      200,
    );
  });

  afterAll(async () => {
    clearInterval(load);
    for (const child of processors) child.kill('SIGTERM');
    await Promise.all(processors.map(exited));
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
    await db?.destroy();
  });

  it('resumes decisions on every partition within 15 s of a processor killed with SIGKILL', async () => {
    const killed = start();
    start();
    await groupOf(2);
    await probe();

    killed.kill('SIGKILL');
    await exited(killed);
    start();
    expect(await probe()).toBeLessThan(15000);
  }, 300000);

  it('hands a processor stopped with SIGTERM over to the other within a few seconds', async () => {
    await groupOf(2);
    await probe();
    const stopped = processors[processors.length - 1];

    stopped.kill('SIGTERM');
    expect(await probe()).toBeLessThan(5000);
    await exited(stopped);
    expect(stopped.signalCode ?? stopped.exitCode).not.toBe('SIGKILL');
  }, 300000);
});
