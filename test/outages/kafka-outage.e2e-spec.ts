import type { INestApplication } from '@nestjs/common';
import { toMoscowIso } from '@gw/domain';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import {
  type Resident,
  seedCharges,
  signUp,
  startCabinet,
  TestClock,
} from '../cabinet/cabinet-support';
import { addKiosk, type Kiosk, postBatch, startGateway } from '../kiosk/kiosk-harness';
import {
  addScanningCentre,
  basic,
  type ScanningCentreLogin,
  slipFile,
  slipQr,
  startSlipIngest,
  uniqueBatchId,
} from '../slips/slip-harness';
import { registryRecord, seedMeters, uniqueAccount, uniqueSerial } from '../support/factories';
import { eventually, testDatabase } from '../support/infra';
import { proxyKafka } from '../support/tcp-proxy';

const SEND_TIMEOUT_MS = 1500;
const ANSWER_WITHIN_MS = SEND_TIMEOUT_MS + 1500;

interface AppCase {
  name: string;
  /** Registers what the app's clients need; returns the app's start and its publishing request. */
  prepare(): Promise<{
    start(env: Record<string, string>): Promise<INestApplication>;
    publish(app: INestApplication): request.Test;
    accepted: number;
  }>;
}

let db: DataSource;
let mail: MailCatcher;

beforeAll(async () => {
  db = await testDatabase();
  mail = await startMailCatcher();
});

afterAll(async () => {
  await mail?.close();
  await db?.destroy();
});

const CASES: AppCase[] = [
  {
    name: 'kiosk-gateway',
    prepare: async () => {
      const kiosk: Kiosk = await addKiosk('K-KAFKA-OUT');
      let batches = 0;
      return {
        start: startGateway,
        publish: (app) =>
          postBatch(app, kiosk, {
            batchId: `b-${(batches += 1)}`,
            items: [
              {
                seq: 1,
                accountNumber: uniqueAccount(),
                meterSerial: uniqueSerial('KO'),
                values: [{ zone: 'T1', value: '00110.500' }],
                readAt: toMoscowIso(new Date(Date.now() - 60_000)),
              },
            ],
          }),
        accepted: 202,
      };
    },
  },
  {
    name: 'cabinet-api',
    prepare: async () => {
      const clock = new TestClock();
      const accountNumber = uniqueAccount();
      const serial = uniqueSerial('CO');
      await seedMeters(db, [registryRecord({ account_number: accountNumber, serial })]);
      await seedCharges(db, [{ accountNumber, period: '2026-09', amountCharged: '1500.00' }]);
      let resident: Resident | undefined;
      let value = 110;
      return {
        start: async (env) => {
          const app = await startCabinet(clock, mail.url, env);
          resident ??= await signUp(app, mail, {
            accountNumber,
            period: '2026-09',
            amountCharged: '1500.00',
          });
          return app;
        },
        publish: (app) =>
          request(app.getHttpServer())
            .post(`/v1/cabinet/accounts/${accountNumber}/readings`)
            .set((resident as Resident).auth)
            .send({
              readings: [{ meterSerial: serial, values: [{ zone: 'T1', value: `00${value++}` }] }],
            }),
        accepted: 202,
      };
    },
  },
  {
    name: 'slip-ingest',
    prepare: async () => {
      const centre: ScanningCentreLogin = await addScanningCentre();
      const qr = slipQr(uniqueAccount());
      return {
        start: startSlipIngest,
        publish: (app) =>
          request(app.getHttpServer())
            .post('/v1/slips/batches')
            .set('Authorization', basic(centre))
            .set('X-Batch-Id', uniqueBatchId('KO'))
            .set('Content-Type', 'text/csv')
            .send(slipFile([{ slip: 'S-1', qr, serial: uniqueSerial('SO'), value: '1' }])),
        accepted: 202,
      };
    },
  },
];

/**
 * Every HTTP app that publishes, started while its Kafka cannot be reached (a proxy in front of the
 * shared broker that refuses connections; the broker itself is never stopped): it answers 503 with
 * Retry-After within its send timeout, never 500, and publishes normally once Kafka answers,
 * without a restart. A cut after start-up cannot be simulated this way: once connected, clients
 * talk to the address the broker advertises, not to the proxy.
 */
describe.each(CASES)('$name without Kafka', ({ prepare }) => {
  it('answers retry later while Kafka is out of reach, then publishes once it is back', async () => {
    const { start, publish, accepted } = await prepare();
    const { proxy, brokers } = await proxyKafka();
    const app = await start({
      KAFKA_BROKERS: brokers,
      KAFKA_SEND_TIMEOUT_MS: String(SEND_TIMEOUT_MS),
    });
    try {
      const started = Date.now();
      const res = await publish(app);
      expect(Date.now() - started).toBeLessThan(ANSWER_WITHIN_MS);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ statusCode: 503, error: 'BROKER_UNAVAILABLE' });
      const ready = await request(app.getHttpServer()).get('/health/ready').expect(503);
      expect(ready.body.checks).toMatchObject({ kafka: 'down', postgres: 'up' });

      await proxy.restore();
      await eventually(
        async () => (await publish(app)).status,
        (status) => status === accepted,
        30_000,
        500,
      );
      await request(app.getHttpServer()).get('/health/ready').expect(200);
    } finally {
      await app.close();
      await proxy.close();
    }
  });
});
