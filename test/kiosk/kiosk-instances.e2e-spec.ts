import type { INestApplication } from '@nestjs/common';
import { KIOSK_PATHS, submissionId, TOPICS } from '@gw/contracts';
import { toMoscowIso } from '@gw/domain';
import { createServer } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { registryRecord, seedMeters } from '../support/factories';
import { eventually, testDatabase, testKafka } from '../support/infra';
import { startProcessor } from '../support/processor';
import {
  addKiosk,
  getSubmission,
  type Kiosk,
  LiveTap,
  postBatch,
  signedHeaders,
  startGateway,
} from './kiosk-harness';

/** A port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Two gateway instances on one database. The broker is shared with other suites and must not be
 * stopped, so "Kafka is down" is an instance whose KAFKA_BROKERS points at a closed port.
 */
describe('kiosk-gateway: several instances, and Kafka unavailable', () => {
  let db: DataSource;
  let processor: INestApplication;
  let gateway: INestApplication;
  let cutOff: INestApplication;
  let inline: INestApplication;
  let submitted: LiveTap;
  let kiosk: Kiosk;

  beforeAll(async () => {
    db = await testDatabase();
    submitted = await LiveTap.open(testKafka(), TOPICS.submitted);
    processor = await startProcessor();
    gateway = await startGateway();
    cutOff = await startGateway({
      KAFKA_BROKERS: `127.0.0.1:${await closedPort()}`,
      KAFKA_SEND_TIMEOUT_MS: '1000',
    });
    inline = await startGateway({ KIOSK_WORKER_THREADS: '0' });
    kiosk = await addKiosk();
  });

  afterAll(async () => {
    await cutOff?.close();
    await inline?.close();
    await gateway?.close();
    await processor?.close();
    await submitted?.close();
    await db?.destroy();
  });

  const batchOf = async (batchId: string) => {
    const meters = await seedMeters(db, [registryRecord(), registryRecord(), registryRecord()]);
    return {
      batchId,
      items: meters.map((m, i) => ({
        seq: i + 1,
        accountNumber: m.accountNumber,
        meterSerial: m.serial,
        values: [{ zone: 'T1', value: '00110.000' }],
        readAt: toMoscowIso(new Date(Date.now() - 3600_000)),
      })),
    };
  };

  /** The submission ids a batch's items get: deterministic (contract 7.1). */
  const idsOf = (batch: Awaited<ReturnType<typeof batchOf>>) =>
    batch.items.map((item) =>
      submissionId({
        channel: 'kiosk',
        sourceId: kiosk.kioskId,
        sourceRef: `${batch.batchId}/${item.seq}`,
        meterSerial: item.meterSerial,
      }),
    );

  /** Waits until the processor has stored a reading for every one of `ids`. */
  const allStored = (ids: string[]) =>
    eventually(
      async () =>
        (
          await db.query(
            'SELECT count(*)::int AS n FROM readings WHERE submission_id = ANY($1::uuid[])',
            [ids],
          )
        )[0].n,
      (n) => n === ids.length,
    );

  it('answers 503 when Kafka cannot take the batch, and queues none of it', async () => {
    const batch = await batchOf(`outage-${process.env.E2E_RUN_ID}`);
    const ids = idsOf(batch);
    const started = Date.now();
    const { body, headers } = await postBatch(cutOff, kiosk, batch).expect(503);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(headers['retry-after']).toBe('5');
    expect(body).toMatchObject({ statusCode: 503, error: 'BROKER_UNAVAILABLE' });
    const ready = await request(cutOff.getHttpServer()).get('/health/ready').expect(503);
    expect(ready.body.checks).toMatchObject({ kafka: 'down', postgres: 'up' });

    // Kafka is back (for the kiosk: it retries, here through an instance that reaches Kafka).
    const retry = await postBatch(gateway, kiosk, batch).expect(202);
    expect(retry.body.items.map((i: { submissionId: string }) => i.submissionId)).toEqual(ids);
    const published = await eventually(
      async () => submitted.of(ids),
      (found) => found.length === ids.length,
    );
    await allStored(ids);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(submitted.of(ids)).toEqual(published);
    const receipt = await getSubmission(gateway, kiosk, ids[0]).expect(200);
    expect(receipt.body).toMatchObject({ submissionId: ids[0], status: 'accepted' });
  });

  it('queues on the event loop without worker threads, as it does with them', async () => {
    const batch = await batchOf(`inline-${process.env.E2E_RUN_ID}`);
    const { body } = await postBatch(inline, kiosk, batch).expect(202);
    const ids = body.items.map((i: { submissionId: string }) => i.submissionId);
    expect(ids).toEqual(idsOf(batch));
    await eventually(
      async () => submitted.of(ids),
      (found) => found.length === ids.length,
    );
    await allStored(ids);
    const receipt = await getSubmission(inline, kiosk, ids[2]).expect(200);
    expect(receipt.body).toMatchObject({ submissionId: ids[2], status: 'accepted' });
  });

  it('shares nonces: a request replayed to another instance is refused', async () => {
    const batch = await batchOf(`replay-${process.env.E2E_RUN_ID}`);
    const raw = JSON.stringify(batch);
    const headers = signedHeaders(kiosk, 'POST', KIOSK_PATHS.readings, raw);
    const send = (app: INestApplication) =>
      request(app.getHttpServer())
        .post(KIOSK_PATHS.readings)
        .set(headers)
        .set('Content-Type', 'application/json')
        .send(raw);
    await send(gateway).expect(202);
    const { body } = await send(cutOff).expect(401);
    expect(body.message).toBe('X-Nonce was already used: sign every request anew');
  });

  it('claims nonces with asynchronous commits, while the processor commits durably', async () => {
    const commits = async (app: INestApplication) =>
      (await app.get(DataSource).query('SHOW synchronous_commit'))[0].synchronous_commit;
    await expect(commits(gateway)).resolves.toBe('off');
    await expect(commits(processor)).resolves.toBe('on');
  });
});
