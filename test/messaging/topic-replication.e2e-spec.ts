import type { INestApplication } from '@nestjs/common';
import { TOPICS } from '@gw/contracts';
import { describeTopics, ensureTopics, type TopicReplication } from '@gw/messaging';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startGateway } from '../kiosk/kiosk-harness';
import { testKafka } from '../support/infra';

const ROOT = resolve(__dirname, '..', '..');
const run = promisify(execFile);
const single: TopicReplication = { replicationFactor: 1, minInSyncReplicas: 1 };

/** `npm run ctl -- kafka topics` as operations run it: its JSON and its exit code. */
async function ctlTopics(env: Record<string, string>) {
  try {
    const { stdout } = await run('npm', ['run', 'ctl', '--', 'kafka', 'topics'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, json: JSON.parse(stdout) };
  } catch (error) {
    const { code, stdout } = error as { code: number; stdout: string };
    return { code, json: JSON.parse(stdout) };
  }
}

describe('topic replication on the real broker', () => {
  const kafka = testKafka('topic-replication-e2e');
  const admin = kafka.admin();
  const topic = `replication-e2e-${process.env.E2E_RUN_ID}`;

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a topic with the configured min.insync.replicas and then verifies it', async () => {
    // A single broker cannot hold 2 replicas, but it stores the setting, which is what is checked.
    const strict = { replicationFactor: 1, minInSyncReplicas: 2 };
    expect(await ensureTopics(kafka, [{ topic, numPartitions: 3 }], strict)).toEqual({
      created: [topic],
      verified: [topic],
      problems: [],
    });
    expect((await describeTopics(admin, [topic])).get(topic)).toEqual({
      topic,
      partitions: 3,
      replicationFactor: 1,
      minInSyncReplicas: 2,
    });
    expect(await ensureTopics(kafka, [{ topic, numPartitions: 3 }], strict)).toEqual({
      created: [],
      verified: [topic],
      problems: [],
    });
  });

  it('reports an existing topic that keeps fewer copies or partitions than configured, and leaves it alone', async () => {
    await ensureTopics(kafka, [{ topic, numPartitions: 3 }], single);
    const report = await ensureTopics(kafka, [{ topic, numPartitions: 6 }], {
      replicationFactor: 3,
      minInSyncReplicas: 3,
    });
    expect(report).toEqual({
      created: [],
      verified: [],
      problems: [
        `${topic}: replication factor 1, configured 3`,
        `${topic}: min.insync.replicas 2, configured 3`,
        `${topic}: 3 partitions, configured 6`,
      ],
    });
    expect((await describeTopics(admin, [topic])).get(topic)?.partitions).toBe(3);
  });

  it('`ctl kafka topics` verifies the gateway topics as configured and exits 0', async () => {
    const { code, json } = await ctlTopics({});
    expect(code).toBe(0);
    expect(json).toEqual({
      created: [],
      verified: expect.arrayContaining(Object.values(TOPICS)),
      problems: [],
    });
  });

  it('`ctl kafka topics` names every topic short of the configured replication and exits non-zero', async () => {
    const { code, json } = await ctlTopics({
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
    });
    expect(code).not.toBe(0);
    expect(json.created).toEqual([]);
    expect(json.verified).toEqual([]);
    for (const name of Object.values(TOPICS))
      expect(json.problems).toContain(`${name}: replication factor 1, configured 3`);
  });

  describe('readiness', () => {
    const apps: INestApplication[] = [];
    afterAll(() => Promise.all(apps.map((app) => app.close())));

    it('is up when the topics keep the configured copies', async () => {
      const app = await startGateway();
      apps.push(app);
      const res = await request(app.getHttpServer()).get('/health/ready');
      expect(res.status).toBe(200);
      expect(res.body.checks).toMatchObject({ kafka: 'up', topics: 'up' });
    });

    it('fails, naming each topic, when they keep fewer copies than configured', async () => {
      const app = await startGateway({ KAFKA_REPLICATION_FACTOR: '2' });
      apps.push(app);
      const res = await request(app.getHttpServer()).get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body.checks).toMatchObject({ kafka: 'up', topics: 'down' });
      expect(res.body.details.topics).toEqual(
        Object.values(TOPICS).map((name) => `${name}: replication factor 1, configured 2`),
      );
    });
  });
});
