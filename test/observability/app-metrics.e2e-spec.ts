import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { metricFamilies } from '../support/metric-families';
import { startTerminalGateway } from '../terminal/support/terminal-gateway';

describe("an app's /metrics", () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startTerminalGateway();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('shows its own families, and none of the apps it shares libraries with', async () => {
    const res = await request(app.getHttpServer()).get('/metrics');
    expect(res.status).toBe(200);
    const names = metricFamilies(res.text);
    expect(names).toEqual(
      expect.arrayContaining(['http_request_duration_seconds', 'terminal_osmp_requests_total']),
    );
    expect(names.filter((name) => /^(consumer_|backoffice_|arshin_)/.test(name))).toEqual([]);
  });
});
