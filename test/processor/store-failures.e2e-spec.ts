import { createServer, connect, type Server, type Socket } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { DLQ_HEADERS, type OutcomeMessage, type SubmissionMessage, TOPICS } from '@gw/contracts';
import { createKafka, ensureTopics, type InboundBatch, KafkaPublisher } from '@gw/messaging';
import { dataSourceOptions, ReadingRepository, TransactionRunner } from '@gw/persistence';
import { loadConfig, metricsRegistry, Tracer } from '@gw/platform';
import { isTransientFailure, readingPolicy } from '@gw/runtime';
import type { Kafka, Producer } from 'kafkajs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ProcessSubmissionsUseCase } from '../../apps/reading-processor/src/process-submissions.use-case';
import { ProcessorEnv } from '../../apps/reading-processor/src/processor.env';
import { registryRecord, seedMeters, submission } from '../support/factories';
import { eventually, testDatabase, testKafka, testReplication, TopicTap } from '../support/infra';
import { refuseToStore } from '../support/refuse-to-store';
import { startProcessor } from '../support/processor';
import { proxyKafka } from '../support/tcp-proxy';

/** A TCP hop in front of PostgreSQL that the test can cut and restore: a database outage. */
class CuttableProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly target: { host: string; port: number },
    readonly port = 0,
  ) {}

  async open(): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
    return (server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
    this.server = null;
  }
}

describe('reading-processor: messages that cannot be stored', () => {
  // A topic of its own: a processor built before this handling would stall on these messages.
  const topic = `${TOPICS.submitted}.store-${process.env.E2E_RUN_ID}`;
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let outcomes: TopicTap;
  let dlq: TopicTap;
  let processor: INestApplication;

  const outcomesOf = async (ids: string[]) =>
    new Map(
      (
        await outcomes.waitFor<OutcomeMessage>(
          (all) => all.filter((o) => ids.includes(o.submissionId)),
          ids.length,
        )
      ).map((o) => [o.submissionId, o]),
    );

  const storedRows = async (ids: string[]) =>
    (
      await db.query(
        `SELECT submission_id, count(*)::int AS n FROM readings WHERE submission_id = ANY($1::uuid[])
          GROUP BY submission_id`,
        [ids],
      )
    ).map((r: { submission_id: string; n: number }) => [r.submission_id, r.n]);

  const deadLettersOf = (account: string) => dlq.ours().filter((m) => m.key === account);

  const counted = async (name: string) =>
    ((await metricsRegistry.getSingleMetric(name)?.get())?.values ?? []).reduce(
      (sum, { value }) => sum + value,
      0,
    );

  /** A batch of the submitted topic as the transport hands it to the use case. */
  const inbound = (messages: SubmissionMessage[]): InboundBatch => ({
    topic: TOPICS.submitted,
    partition: 0,
    messages: messages.map((m, i) => ({
      key: Buffer.from(m.accountNumber),
      value: Buffer.from(JSON.stringify(m)),
      headers: {},
      offset: String(i + 1),
      timestamp: String(Date.now()),
    })),
  });

  /** The processor's use case, called directly, publishing through `publisher`. */
  const processSubmissions = (publisher: KafkaPublisher, dataSource = db) => {
    const env = loadConfig(ProcessorEnv, {
      ...process.env,
      PROCESSOR_GROUP_ID: `reading-processor-e2e-${process.env.E2E_RUN_ID}`,
    });
    return new ProcessSubmissionsUseCase(
      new TransactionRunner(dataSource),
      new ReadingRepository(dataSource),
      publisher,
      readingPolicy(env),
      env,
      new Tracer({ serviceName: 'reading-processor', url: null }),
    );
  };

  beforeAll(async () => {
    kafka = testKafka();
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    db = await testDatabase();
    outcomes = await TopicTap.open(kafka, TOPICS.outcomes);
    dlq = await TopicTap.open(kafka, TOPICS.submittedDlq);
    await ensureTopics(kafka, [{ topic, numPartitions: 3 }], testReplication());
    processor = await startProcessor({ PROCESSOR_TOPIC: topic });
  });

  afterAll(async () => {
    await processor?.close();
    await dlq?.close();
    await outcomes?.close();
    await producer?.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await db?.destroy();
  });

  it('dead-letters a message the database refuses with STORE_FAILED and decides the rest of its partition once, as if it never came', async () => {
    const row = registryRecord();
    const [meter, other] = await seedMeters(db, [
      row,
      registryRecord({ account_number: row.account_number }),
    ]);
    const account = meter.accountNumber;
    const reading = (serial: string, value: string, readAt: string): SubmissionMessage =>
      submission({
        accountNumber: account,
        meterSerial: serial,
        values: [{ zone: 'T1', value }],
        readAt,
      });
    const first = reading(meter.serial, '00105.000', '2026-11-10T08:00:00+03:00');
    // Had it been stored, the next reading of the meter would have gone down from 150.
    const refused = reading(meter.serial, '00150.000', '2026-11-15T09:00:00+03:00');
    const later = reading(meter.serial, '00108.000', '2026-11-18T09:00:00+03:00');
    const otherMeter = submission({
      accountNumber: account,
      meterSerial: other.serial,
      values: [{ zone: 'T1', value: '00105.000' }],
      readAt: '2026-11-19T09:00:00+03:00',
    });
    const decided = [first, later, otherMeter];
    const drop = await refuseToStore(db, 'readings', 'submission_id', refused.submissionId);
    try {
      const [sent] = await producer.send({
        topic,
        acks: -1,
        messages: [first, refused, later, otherMeter].map((m) => ({
          key: account,
          value: JSON.stringify(m),
          headers: m === refused ? { 'x-test': 'refused' } : {},
        })),
      });

      const byId = await outcomesOf(decided.map((m) => m.submissionId));
      expect(byId.get(first.submissionId)).toMatchObject({
        status: 'accepted',
        consumption: [{ zone: 'T1', value: '5.000' }],
      });
      expect(byId.get(later.submissionId)).toMatchObject({
        status: 'accepted',
        reasons: [],
        consumption: [{ zone: 'T1', value: '3.000' }],
      });
      expect(byId.get(otherMeter.submissionId)).toMatchObject({ status: 'accepted' });

      const [dead] = await eventually(
        async () => deadLettersOf(account),
        (found) => found.length >= 1,
      );
      expect(JSON.parse((dead.value as Buffer).toString()).submissionId).toBe(refused.submissionId);
      expect(dead.headers).toMatchObject({
        [DLQ_HEADERS.reason]: 'STORE_FAILED',
        'x-original-topic': topic,
        'x-test': 'refused',
      });
      expect(dead.headers[DLQ_HEADERS.error]).toBe(
        `test refuses to store ${refused.submissionId} (code 22008)`,
      );
      expect(dead.headers).toMatchObject({
        'x-original-partition': String(sent.partition),
        'x-original-offset': String(BigInt(sent.baseOffset as string) + 1n),
      });

      expect(await storedRows([...decided, refused].map((m) => m.submissionId))).toEqual(
        expect.arrayContaining(decided.map((m) => [m.submissionId, 1])),
      );
      expect(await storedRows([refused.submissionId])).toEqual([]);
      const metrics = await request(processor.getHttpServer()).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/processor_dead_lettered_total\{reason="STORE_FAILED"\} [1-9]/);
    } finally {
      await drop();
    }

    // The partition moved on: a reading sent after the refused one is decided too, and the
    // refused message was dead-lettered once.
    const next = reading(meter.serial, '00110.000', '2026-11-20T09:00:00+03:00');
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: account, value: JSON.stringify(next) }],
    });
    expect((await outcomesOf([next.submissionId])).get(next.submissionId)).toMatchObject({
      status: 'accepted',
      consumption: [{ zone: 'T1', value: '2.000' }],
    });
    expect(deadLettersOf(account)).toHaveLength(1);
  });

  it('does not stall on a message whose values PostgreSQL refuses even to look up, and decides its neighbours', async () => {
    const row = registryRecord();
    const [meter] = await seedMeters(db, [row]);
    const account = meter.accountNumber;
    const before = submission({ accountNumber: account, meterSerial: meter.serial });
    // PostgreSQL text cannot hold U+0000: every query naming this serial fails (SQLSTATE 22021).
    const hostile = submission({ accountNumber: account, meterSerial: `${meter.serial}\u0000` });
    const after = submission({
      accountNumber: account,
      meterSerial: meter.serial,
      values: [{ zone: 'T1', value: '00111.000' }],
      readAt: '2026-11-20T11:00:00+03:00',
      receivedAt: '2026-11-20T11:00:05.000+03:00',
    });
    await producer.send({
      topic,
      acks: -1,
      messages: [before, hostile, after].map((m) => ({ key: account, value: JSON.stringify(m) })),
    });

    const byId = await outcomesOf([before.submissionId, after.submissionId]);
    expect(byId.get(before.submissionId)).toMatchObject({ status: 'accepted' });
    expect(byId.get(after.submissionId)).toMatchObject({
      status: 'accepted',
      consumption: [{ zone: 'T1', value: '1.000' }],
    });
    const [dead] = await eventually(
      async () => deadLettersOf(account),
      (found) => found.length >= 1,
    );
    expect(JSON.parse((dead.value as Buffer).toString()).submissionId).toBe(hostile.submissionId);
    // Dead-lettered as it is stored or, should the decoder learn to refuse it, as undecodable.
    expect([dead.headers[DLQ_HEADERS.reason], dead.headers[DLQ_HEADERS.error]]).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(STORE_FAILED|UNDECODABLE)$/)]),
    );
    expect(await storedRows([before.submissionId, after.submissionId])).toHaveLength(2);
  });

  it('counts a redelivered or re-decided reading once when its batch is split around a refused message', async () => {
    const row = registryRecord();
    const [meter, other] = await seedMeters(db, [
      row,
      registryRecord({ account_number: row.account_number }),
    ]);
    const reading = (serial: string, value: string, readAt: string) =>
      submission({
        accountNumber: meter.accountNumber,
        meterSerial: serial,
        values: [{ zone: 'T1', value }],
        readAt,
      });
    const first = reading(meter.serial, '00105.000', '2026-11-10T08:00:00+03:00');
    const refused = reading(other.serial, '00105.000', '2026-11-12T08:00:00+03:00');
    const later = reading(meter.serial, '00108.000', '2026-11-18T09:00:00+03:00');
    const alsoRefused = reading(other.serial, '00107.000', '2026-11-19T08:00:00+03:00');
    const publisher = new KafkaPublisher(testKafka('e2e-split-counts'), 10000);
    const useCase = processSubmissions(publisher);
    const drops = [
      await refuseToStore(db, 'readings', 'submission_id', refused.submissionId),
      await refuseToStore(db, 'readings', 'submission_id', alsoRefused.submissionId),
    ];
    try {
      // Halves [first, refused] and [later, alsoRefused]: the second half finds the meter changed
      // by `first`, fails, and is decided again as [later] alone.
      const redecidedBefore = await counted('processor_redecided_total');
      await useCase.execute(inbound([first, refused, later, alsoRefused]));
      expect(await counted('processor_redecided_total')).toBe(redecidedBefore + 1);

      // `first` is seen again in the whole batch, which fails, and again in its half.
      const redeliveredBefore = await counted('processor_redelivered_total');
      await useCase.execute(inbound([first, refused]));
      expect(await counted('processor_redelivered_total')).toBe(redeliveredBefore + 1);

      const rows = await storedRows(
        [first, refused, later, alsoRefused].map((m) => m.submissionId),
      );
      expect(rows).toHaveLength(2);
      expect(rows).toEqual(
        expect.arrayContaining([
          [first.submissionId, 1],
          [later.submissionId, 1],
        ]),
      );
    } finally {
      for (const drop of drops) await drop();
      await publisher.close();
    }
  });

  it('counts a decision once when its submission is delivered again', async () => {
    const publisher = new KafkaPublisher(testKafka('e2e-redelivery-counts'), 10000);
    const useCase = processSubmissions(publisher);
    const [meter] = await seedMeters(db, [registryRecord()]);
    const message = submission({ accountNumber: meter.accountNumber, meterSerial: meter.serial });
    try {
      const decisionsBefore = await counted('processor_decisions_total');
      const redeliveredBefore = await counted('processor_redelivered_total');
      await useCase.execute(inbound([message]));
      await useCase.execute(inbound([message]));
      expect(await counted('processor_decisions_total')).toBe(decisionsBefore + 1);
      expect(await counted('processor_redelivered_total')).toBe(redeliveredBefore + 1);
      expect(await storedRows([message.submissionId])).toEqual([[message.submissionId, 1]]);
    } finally {
      await publisher.close();
    }
  });

  it('counts a decision once when its batch is retried after its outcomes could not be published', async () => {
    const { proxy, brokers } = await proxyKafka('closed');
    const publisher = new KafkaPublisher(createKafka([brokers], 'e2e-unpublished-counts'), 2000);
    const useCase = processSubmissions(publisher);
    const [meter] = await seedMeters(db, [registryRecord()]);
    const message = submission({ accountNumber: meter.accountNumber, meterSerial: meter.serial });
    try {
      const decisionsBefore = await counted('processor_decisions_total');
      // Stored, then Kafka could not be reached: a transient failure, so the transport delivers
      // the batch again rather than dead-lettering it.
      expect(isTransientFailure(await failureOf(useCase.execute(inbound([message]))))).toBe(true);
      expect(await counted('processor_decisions_total')).toBe(decisionsBefore + 1);
      await proxy.restore();
      await useCase.execute(inbound([message]));
      expect(await counted('processor_decisions_total')).toBe(decisionsBefore + 1);
      expect(await storedRows([message.submissionId])).toEqual([[message.submissionId, 1]]);
    } finally {
      await publisher.close();
      await proxy.close();
    }
  });

  it('throws, dead-letters nothing and stores the batch later when the database is unreachable', async () => {
    const target = new URL(process.env.DATABASE_URL as string);
    const proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const port = await proxy.open();
    const throughProxy = new URL(target);
    throughProxy.port = String(port);
    const proxied = await new DataSource(
      dataSourceOptions(throughProxy.toString(), 2),
    ).initialize();
    const restored = new CuttableProxy(proxy.target, port);
    const publisher = new KafkaPublisher(testKafka('e2e-outage'), 10000);
    const useCase = processSubmissions(publisher, proxied);
    try {
      const [meter] = await seedMeters(db, [registryRecord()]);
      const message = submission({ accountNumber: meter.accountNumber, meterSerial: meter.serial });
      const batch: InboundBatch = {
        topic: TOPICS.submitted,
        partition: 0,
        messages: [
          {
            key: Buffer.from(meter.accountNumber),
            value: Buffer.from(JSON.stringify(message)),
            headers: {},
            offset: '1',
            timestamp: String(Date.now()),
          },
        ],
      };

      await proxy.cut();
      expect(isTransientFailure(await failureOf(useCase.execute(batch)))).toBe(true);
      expect(await storedRows([message.submissionId])).toEqual([]);

      await restored.open();
      await useCase.execute(batch);
      expect(await storedRows([message.submissionId])).toEqual([[message.submissionId, 1]]);
      expect((await outcomesOf([message.submissionId])).get(message.submissionId)).toMatchObject({
        status: 'accepted',
      });
      // A dead letter would have gone out before the failed call returned, long before this outcome.
      expect(deadLettersOf(meter.accountNumber)).toEqual([]);
    } finally {
      await restored.cut().catch(() => undefined);
      await proxied.destroy().catch(() => undefined);
      await publisher.close();
    }
  });
});

/** What `work` rejected with; fails the test when it resolves. */
async function failureOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}
