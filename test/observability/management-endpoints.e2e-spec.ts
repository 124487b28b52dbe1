import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startBackoffice } from '../backoffice/backoffice-app';
import { startGateway } from '../kiosk/kiosk-harness';
import { startFeed } from '../mosenergosbyt/feed';
import { startProcessor } from '../support/processor';
import { startTerminalGateway } from '../terminal/support/terminal-gateway';

const TOKEN = 'e2e-management-token-0123456789abcdef';
const MANAGEMENT_PATHS = ['/metrics', '/docs-json', '/docs'];

/** A JSON edge, the XML edge, the back office with its web UI, and both consumers. */
const APPS: [string, (env: Record<string, string>) => Promise<INestApplication>][] = [
  ['kiosk-gateway', startGateway],
  ['terminal-gateway', startTerminalGateway],
  ['backoffice-api', startBackoffice],
  ['reading-processor', startProcessor],
  ['mosenergosbyt-feed', startFeed],
];

describe.each(APPS)('%s with MANAGEMENT_TOKEN set', (_name, start) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await start({ MANAGEMENT_TOKEN: TOKEN });
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each(MANAGEMENT_PATHS)('refuses %s without the token, or with a wrong one', async (path) => {
    const anonymous = await request(app.getHttpServer()).get(path);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="management"');
    expect(anonymous.body).toMatchObject({ statusCode: 401, error: 'MANAGEMENT_TOKEN_REQUIRED' });
    const wrong = await request(app.getHttpServer())
      .get(path)
      .set('Authorization', `Bearer ${TOKEN}x`);
    expect(wrong.status).toBe(401);
  });

  it('serves the metrics and the OpenAPI document with the token', async () => {
    const metrics = await request(app.getHttpServer())
      .get('/metrics')
      .set('Authorization', `Bearer ${TOKEN}`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('http_request_duration_seconds');
    const docs = await request(app.getHttpServer())
      .get('/docs-json')
      .set('Authorization', `Bearer ${TOKEN}`);
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toMatch(/^3\./);
  });

  it('refuses the same paths spelt as Express would still route them', async () => {
    for (const path of ['/METRICS', '/metrics/', '/Docs-Json', '/docs/swagger-ui-init.js'])
      expect((await request(app.getHttpServer()).get(path)).status).toBe(401);
  });

  it('leaves the health probes open', async () => {
    expect((await request(app.getHttpServer()).get('/health/live')).status).toBe(200);
  });
});

describe('an app without MANAGEMENT_TOKEN (the development default)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startProcessor();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves /metrics and /docs-json to anyone, under any spelling Express routes', async () => {
    for (const path of ['/metrics', '/docs-json', '/METRICS', '/metrics/', '/Docs-Json'])
      expect((await request(app.getHttpServer()).get(path)).status).toBe(200);
  });
});
