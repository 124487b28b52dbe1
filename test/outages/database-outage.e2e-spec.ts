import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { SystemClock } from '../../apps/cabinet-api/src/clock';
import { type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import { startBackoffice, submitSignInForm } from '../backoffice/backoffice-app';
import { startCabinet } from '../cabinet/cabinet-support';
import { getSubmission, startGateway } from '../kiosk/kiosk-harness';
import { startSlipIngest } from '../slips/slip-harness';
import { proxyDatabase, type TcpProxy } from '../support/tcp-proxy';
import { readAnswer } from '../terminal/support/osmp-xml';
import { startTerminalGateway } from '../terminal/support/terminal-gateway';

/** Short limits, so a frozen database is noticed within seconds: 1 s statement + 2 s client margin. */
const TIMEOUTS = { DATABASE_CONNECT_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '1000' };
const ANSWER_WITHIN_MS = 3000 + 1500;

/** The cabinet e-mails a code for any address: its mail server must answer. */
let mail: MailCatcher | undefined;
afterAll(() => mail?.close());

let probes = 0;
const unique = (prefix: string) => `${prefix}-${process.env.E2E_RUN_ID}-${(probes += 1)}`;

interface AppCase {
  name: string;
  start(env: Record<string, string>): Promise<INestApplication>;
  /** A request the app answers from the database; each call names things no cache has seen. */
  probe(app: INestApplication): PromiseLike<request.Response>;
  /** Its answer with the database up. */
  normal(res: request.Response): void;
  /** Its answer with the database out: retry later. */
  outage(res: request.Response): void;
}

const retryLater = (res: request.Response) => {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('5');
};
const retryLaterJson = (res: request.Response) => {
  retryLater(res);
  expect(res.body).toMatchObject({ statusCode: 503, error: 'DATABASE_UNAVAILABLE' });
  // The driver's message names the database's address: it stays in the log.
  expect(res.text).not.toContain('127.0.0.1');
};

const CASES: AppCase[] = [
  {
    name: 'kiosk-gateway',
    start: startGateway,
    probe: (app) =>
      getSubmission(app, { kioskId: unique('K-OUT'), secret: 'x'.repeat(43) }, randomUUID()),
    normal: (res) => expect(res.status).toBe(401),
    outage: retryLater,
  },
  {
    name: 'terminal-gateway',
    start: startTerminalGateway,
    probe: (app) =>
      request(app.getHttpServer())
        .get('/v1/terminal/osmp')
        .query({ command: 'check', txn_id: '1', account: '1234567890', sum: '0' })
        .auth(unique('t-out'), 'wrong'),
    normal: (res) => expect(res.status).toBe(401),
    outage: (res) => {
      expect(res.status).toBe(200);
      expect(readAnswer(res.text).fields).toMatchObject({
        result: '1',
        comment: 'temporarily unavailable, retry later',
      });
    },
  },
  {
    name: 'cabinet-api',
    start: async (env) => {
      mail ??= await startMailCatcher();
      return startCabinet(new SystemClock(), mail.url, env);
    },
    probe: (app) =>
      request(app.getHttpServer())
        .post('/v1/cabinet/sessions')
        .send({ email: `${unique('out')}@example.test` }),
    normal: (res) => expect(res.status).toBe(202),
    outage: retryLaterJson,
  },
  {
    name: 'slip-ingest',
    start: startSlipIngest,
    probe: (app) =>
      request(app.getHttpServer()).get('/v1/slips/batches/B-1').auth(unique('centre-out'), 'wrong'),
    normal: (res) => expect(res.status).toBe(401),
    outage: retryLaterJson,
  },
  {
    name: 'backoffice-api',
    start: startBackoffice,
    probe: (app) =>
      request(app.getHttpServer())
        .post('/v1/auth/login')
        .send({ login: unique('op-out'), password: 'wrong-password' }),
    normal: (res) => expect(res.status).toBe(401),
    outage: retryLaterJson,
  },
  {
    name: 'backoffice-api web UI',
    start: startBackoffice,
    probe: (app) => submitSignInForm(app, { login: unique('op-out'), password: 'wrong-password' }),
    normal: (res) => expect(res.status).toBe(401),
    outage: (res) => {
      retryLater(res);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('База данных недоступна');
    },
  },
];

/**
 * Every HTTP app in front of a PostgreSQL that freezes (a proxy that stops forwarding, as a
 * SIGSTOPped server would) and then goes away (connections reset): each answers "retry later"
 * within its timeout, never 500 and never hangs, and answers normally again, without a restart,
 * once the database is back. The shared server itself is never touched.
 */
describe.each(CASES)('$name without its database', ({ start, probe, normal, outage }) => {
  let proxy: TcpProxy;
  let app: INestApplication;

  beforeAll(async () => {
    const database = await proxyDatabase();
    proxy = database.proxy;
    app = await start({ ...TIMEOUTS, DATABASE_URL: database.url });
  });

  afterAll(async () => {
    await app?.close();
    await proxy?.close();
  });

  const timed = async () => {
    const started = Date.now();
    const res = await probe(app);
    return { res, ms: Date.now() - started };
  };

  it('answers retry later while the database is frozen, then recovers by itself', async () => {
    normal((await timed()).res);

    proxy.stall();
    const frozen = await timed();
    outage(frozen.res);
    expect(frozen.ms).toBeLessThan(ANSWER_WITHIN_MS);
    const ready = await request(app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.postgres).toBe('down');
    await request(app.getHttpServer()).get('/health/live').expect(200);

    proxy.unstall();
    normal((await timed()).res);
    await request(app.getHttpServer()).get('/health/ready').expect(200);
  });

  it('answers retry later while the database is gone, then recovers by itself', async () => {
    await proxy.cut();
    const gone = await timed();
    outage(gone.res);
    expect(gone.ms).toBeLessThan(ANSWER_WITHIN_MS);

    await proxy.restore();
    normal((await timed()).res);
  });
});
