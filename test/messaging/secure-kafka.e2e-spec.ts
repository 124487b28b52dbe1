import { type INestApplication, Logger } from '@nestjs/common';
import { type OutcomeMessage, TOPICS } from '@gw/contracts';
import { createKafka, KafkaPublisher } from '@gw/messaging';
import { BaseEnv, BrokerUnavailableError, kafkaSecurity, loadConfig } from '@gw/platform';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { freePorts } from '../../scripts/local-env';
import { addKiosk, type Kiosk, postOneReading, startGateway } from '../kiosk/kiosk-harness';
import { runCtlIn } from '../support/ctl';
import { registryRecord, seedMeters } from '../support/factories';
import { testDatabase, TopicTap } from '../support/infra';
import { startProcessor } from '../support/processor';

const SECURE_SH = join(__dirname, '../../deploy/kafka-local/secure.sh');

/** `KEY=value` lines, as secure.sh prints the gateway's settings for its broker. */
function settingsOf(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('Kafka over SASL_SSL (TLS with a client certificate, SCRAM-SHA-512)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-secure-'));
  let brokerEnv: NodeJS.ProcessEnv;
  let env: NodeJS.ProcessEnv;
  let db: DataSource;
  let processor: INestApplication;
  let gateway: INestApplication;
  let kiosk: Kiosk;
  let outcomes: TopicTap;

  beforeAll(async () => {
    const [securePort, internalPort, controllerPort] = await freePorts(3);
    brokerEnv = {
      ...process.env,
      KAFKA_SECURE_DIR: dir,
      KAFKA_SECURE_PORT: String(securePort),
      KAFKA_SECURE_INTERNAL_PORT: String(internalPort),
      KAFKA_SECURE_CONTROLLER_PORT: String(controllerPort),
    };
    const { stdout } = await promisify(execFile)('bash', [SECURE_SH, 'start'], {
      env: brokerEnv,
      timeout: 110_000,
    });
    env = {
      ...process.env,
      ...settingsOf(stdout),
      KAFKA_REPLICATION_FACTOR: '1',
      KAFKA_MIN_INSYNC_REPLICAS: '1',
    };
    db = await testDatabase();
    kiosk = await addKiosk('K-TLS');
  }, 120_000);

  afterAll(async () => {
    await outcomes?.close();
    await gateway?.close();
    await processor?.close();
    await db?.destroy();
    await promisify(execFile)('bash', [SECURE_SH, 'stop'], { env: brokerEnv }).catch(() => null);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the topics, takes a kiosk reading and decides it, all through the secure listener', async () => {
    const topics = await runCtlIn<{ problems: string[] }>(
      env,
      'kafka',
      'topics',
      '--partitions',
      '2',
    );
    expect(topics.problems).toEqual([]);
    const stringEnv = env as Record<string, string>;
    processor = await startProcessor(stringEnv);
    // The gateway publishes from its worker threads, each with a producer of its own.
    gateway = await startGateway({ ...stringEnv, KIOSK_WORKER_THREADS: '1' });
    const settings = loadConfig(BaseEnv, env);
    outcomes = await TopicTap.open(
      createKafka(settings.KAFKA_BROKERS, 'secure-e2e', kafkaSecurity(settings)),
      TOPICS.outcomes,
    );

    const [meter] = await seedMeters(db, [registryRecord({ initial_on: '2026-01-01' })]);
    const res = await postOneReading(
      gateway,
      kiosk,
      `tls-${process.env.E2E_RUN_ID}`,
      meter,
      '00120.000',
    ).expect(202);
    const id = res.body.items[0].submissionId as string;

    const [outcome] = await outcomes.waitFor<OutcomeMessage>(
      (all) => all.filter((o) => o.submissionId === id),
      1,
    );
    expect(outcome).toMatchObject({ submissionId: id, status: 'accepted' });
    const [row] = await db.query(`SELECT status FROM readings WHERE submission_id = $1`, [id]);
    expect(row.status).toBe('accepted');
  });

  it('refuses a wrong SCRAM password with an error that says so', async () => {
    const wrong = { ...env, KAFKA_SASL_PASSWORD: 'not-the-password' };
    await expect(runCtlIn(wrong, 'kafka', 'topics')).rejects.toThrow(
      /SASL SCRAM SHA512 authentication failed: .*invalid credentials/,
    );
    // An app's publish is answered "retry later", and its log says why.
    const settings = loadConfig(BaseEnv, wrong);
    const publisher = new KafkaPublisher(
      createKafka(settings.KAFKA_BROKERS, 'secure-e2e-wrong', kafkaSecurity(settings)),
      3000,
    );
    const errors = jest.spyOn(Logger.prototype, 'error');
    try {
      await expect(
        publisher.publish(TOPICS.submitted, [{ key: 'k', value: '{}' }]),
      ).rejects.toThrow(BrokerUnavailableError);
      expect(JSON.stringify(errors.mock.calls)).toMatch(
        /SASL SCRAM SHA512 authentication failed: .*invalid credentials/,
      );
      expect(JSON.stringify(errors.mock.calls)).not.toContain('not-the-password');
    } finally {
      errors.mockRestore();
      await publisher.close();
    }
  });
});
