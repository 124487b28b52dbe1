import type { INestApplication } from '@nestjs/common';
import { parseTraceparent, TOPICS } from '@gw/contracts';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createOperator, login, startBackoffice } from '../backoffice/backoffice-app';
import { addKiosk, type Kiosk, postOneReading, startGateway } from '../kiosk/kiosk-harness';
import { registryRecord, seedMeters } from '../support/factories';
import { eventually, testDatabase, testKafka, TopicTap } from '../support/infra';
import { startProcessor } from '../support/processor';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN}-01`;

/** Every JSON line the apps of this process write to stdout while capturing. */
class StdoutCapture {
  readonly lines: Record<string, unknown>[] = [];
  private readonly original = process.stdout.write.bind(process.stdout);

  start(): void {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      for (const line of String(chunk).split('\n'))
        if (line.startsWith('{')) this.lines.push(JSON.parse(line) as Record<string, unknown>);
      return (this.original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  }

  stop(): void {
    process.stdout.write = this.original;
  }

  /** The `message` objects of Nest's JSON lines. */
  messages(): Record<string, unknown>[] {
    return this.lines.map((l) => l.message as Record<string, unknown>).filter(Boolean);
  }

  /** The first message `select` picks, once written: a request is logged as its connection closes. */
  async find(select: (message: Record<string, unknown>) => boolean) {
    const [found] = await eventually(
      async () => this.messages().filter(select),
      (all) => all.length > 0,
      10_000,
    );
    return found;
  }
}

describe('trace context: a kiosk batch traced from the request log to the back office', () => {
  let db: DataSource;
  let processor: INestApplication;
  let gateway: INestApplication;
  let backoffice: INestApplication;
  let kiosk: Kiosk;
  let submitted: TopicTap;
  let outcomes: TopicTap;
  const logs = new StdoutCapture();

  beforeAll(async () => {
    const kafka = testKafka();
    db = await testDatabase();
    logs.start();
    processor = await startProcessor({ LOG_LEVEL: 'log' });
    gateway = await startGateway({ LOG_LEVEL: 'log' });
    // Apps in one process share Nest's static logger (the last one started sets its level).
    backoffice = await startBackoffice({ LOG_LEVEL: 'log' });
    kiosk = await addKiosk('K-TRACE');
    submitted = await TopicTap.open(kafka, TOPICS.submitted);
    outcomes = await TopicTap.open(kafka, TOPICS.outcomes);
  });

  afterAll(async () => {
    logs.stop();
    await submitted?.close();
    await outcomes?.close();
    await gateway?.close();
    await backoffice?.close();
    await processor?.close();
    await db?.destroy();
  });

  it('carries the trace id of the request into the log, Kafka headers, the stored reading and the submission view', async () => {
    const [meter] = await seedMeters(db, [registryRecord({ initial_on: '2026-01-01' })]);
    const res = await postOneReading(
      gateway,
      kiosk,
      `trace-${process.env.E2E_RUN_ID}`,
      meter,
      '00110.500',
    )
      .set('traceparent', TRACEPARENT)
      .set('X-Request-Id', 'kiosk-req-42')
      .expect(202);
    expect(res.headers['x-request-id']).toBe('kiosk-req-42');
    const id = res.body.items[0].submissionId as string;

    const line = logs.messages().find((m) => m.msg === 'request' && m.requestId === 'kiosk-req-42');
    expect(line).toEqual({
      msg: 'request',
      method: 'POST',
      route: '/v1/kiosk/readings',
      status: 202,
      durationMs: expect.any(Number),
      requestId: 'kiosk-req-42',
      traceId: TRACE_ID,
    });

    const [message] = await eventually(
      async () =>
        submitted.messages.filter((m) => m.value?.toString().includes(`"submissionId":"${id}"`)),
      (found) => found.length === 1,
    );
    const edgeSpan = parseTraceparent(message.headers.traceparent);
    expect(edgeSpan).toEqual({ traceId: TRACE_ID, spanId: expect.any(String), flags: 1 });
    expect(edgeSpan?.spanId).not.toBe(CALLER_SPAN);

    const outcome = await outcomes.messageAbout(id);
    const processorSpan = parseTraceparent(outcome.headers.traceparent);
    expect(processorSpan?.traceId).toBe(TRACE_ID);
    expect([CALLER_SPAN, edgeSpan?.spanId]).not.toContain(processorSpan?.spanId);

    const [row] = await db.query(`SELECT trace_id FROM readings WHERE submission_id = $1`, [id]);
    expect(row.trace_id).toBe(TRACE_ID);
    expect(
      logs
        .messages()
        .some(
          (m) =>
            m.msg === 'batch decided' && (m.traceIds as string[] | undefined)?.includes(TRACE_ID),
        ),
    ).toBe(true);

    const token = await login(backoffice, await createOperator(db, 'operator'));
    const view = await request(backoffice.getHttpServer())
      .get(`/v1/submissions/${id}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(view.body).toMatchObject({ submissionId: id, status: 'accepted', traceId: TRACE_ID });
  });

  it('starts a trace and a request id when the caller sends none or malformed ones, and logs no path values', async () => {
    const res = await request(gateway.getHttpServer())
      .get('/v1/kiosk/submissions/0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11?code=secret')
      .set('traceparent', 'not-a-traceparent')
      .set('X-Request-Id', 'has spaces and @')
      .expect(401);
    const requestId = res.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = await logs.find((m) => m.msg === 'request' && m.requestId === requestId);
    expect(line).toMatchObject({
      route: '/v1/kiosk/submissions/:submissionId',
      status: 401,
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(JSON.stringify(line)).not.toMatch(/0b5c4f7e|secret|@/);
  });

  it('observes http_request_duration_seconds by route pattern and status class', async () => {
    const { text } = await request(gateway.getHttpServer()).get('/metrics').expect(200);
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/v1\/kiosk\/readings",status_class="2xx"\} [1-9]/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/v1\/kiosk\/submissions\/:submissionId",status_class="4xx"\}/,
    );
  });
});
