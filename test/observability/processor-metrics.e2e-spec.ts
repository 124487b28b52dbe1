import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { metricFamilies } from '../support/metric-families';
import { startProcessor } from '../support/processor';

// A file of its own: the apps started in one test file share its metrics registry, so an edge
// started beside the processor would lend it the edge's families.
describe("the reading-processor's /metrics", () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startProcessor();
  });

  afterAll(async () => {
    await app?.close();
  });

  it("shows its own families, and none of the HTTP edges' per-IP gate or password checks", async () => {
    const res = await request(app.getHttpServer()).get('/metrics');
    expect(res.status).toBe(200);
    const names = metricFamilies(res.text);
    expect(names).toEqual(
      expect.arrayContaining(['consumer_batch_size', 'processor_decisions_total']),
    );
    expect(names.filter((name) => /^(client_rate_limited|password_hash)_/.test(name))).toEqual([]);
  });
});
