import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startTerminalGateway } from '../terminal/support/terminal-gateway';

/** The metric families named in a Prometheus text exposition. */
const families = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('# TYPE '))
    .map((line) => line.split(' ')[2]);

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
    const names = families(res.text);
    expect(names).toEqual(
      expect.arrayContaining(['http_request_duration_seconds', 'terminal_osmp_requests_total']),
    );
    expect(names.filter((name) => /^(consumer_|backoffice_|arshin_)/.test(name))).toEqual([]);
  });
});
