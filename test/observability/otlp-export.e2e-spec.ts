import type { INestApplication } from '@nestjs/common';
import { parseTraceparent, TOPICS } from '@gw/contracts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { addKiosk, type Kiosk, postOneReading, startGateway } from '../kiosk/kiosk-harness';
import { registryRecord, seedMeters } from '../support/factories';
import { eventually, testDatabase, testKafka, TopicTap } from '../support/infra';
import { startProcessor } from '../support/processor';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

interface ExportRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: Omit<ExportedSpan, 'service'>[] }[];
  }[];
}

/** A stand-in OTLP/HTTP collector: keeps every span POSTed to /v1/traces, with its service name. */
class SpanReceiver {
  readonly spans: ExportedSpan[] = [];
  readonly requests: { path: string; contentType: string | undefined }[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.requests.push({ path: req.url ?? '', contentType: req.headers['content-type'] });
      const body = JSON.parse(Buffer.concat(chunks).toString()) as ExportRequest;
      for (const { resource, scopeSpans } of body.resourceSpans) {
        const service =
          resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const { spans } of scopeSpans)
          for (const span of spans) this.spans.push({ service, ...span });
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });

  async open(): Promise<string> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}

describe('OTLP export: the edge request and the processor decision in one trace', () => {
  const receiver = new SpanReceiver();
  let db: DataSource;
  let processor: INestApplication;
  let gateway: INestApplication;
  let kiosk: Kiosk;
  let outcomes: TopicTap;

  beforeAll(async () => {
    const endpoint = await receiver.open();
    db = await testDatabase();
    processor = await startProcessor({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    gateway = await startGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    kiosk = await addKiosk('K-OTLP');
    outcomes = await TopicTap.open(testKafka(), TOPICS.outcomes);
  });

  afterAll(async () => {
    await outcomes?.close();
    await gateway?.close();
    await processor?.close();
    await receiver.close();
    await db?.destroy();
  });

  it('exports the kiosk request span and the decision span, parent to child, with the trace id the caller sent', async () => {
    const [meter] = await seedMeters(db, [registryRecord({ initial_on: '2026-01-01' })]);
    const res = await postOneReading(
      gateway,
      kiosk,
      `otlp-${process.env.E2E_RUN_ID}`,
      meter,
      '00130.000',
    )
      .set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN}-01`)
      .expect(202);
    const id = res.body.items[0].submissionId as string;

    const ours = () => receiver.spans.filter((s) => s.traceId === TRACE_ID);
    const spans = await eventually(
      async () => ours(),
      // Each app sends its spans on its own schedule.
      (found) =>
        ['kiosk-gateway', 'reading-processor'].every((app) => found.some((s) => s.service === app)),
      20_000,
    );
    const edge = spans.find((s) => s.service === 'kiosk-gateway');
    const decision = spans.find((s) => s.service === 'reading-processor');
    expect(edge).toMatchObject({
      name: 'POST /v1/kiosk/readings',
      kind: 2,
      parentSpanId: CALLER_SPAN,
      attributes: expect.arrayContaining([
        { key: 'http.response.status_code', value: { intValue: '202' } },
      ]),
    });
    expect(decision).toMatchObject({
      name: 'decide submission',
      kind: 5,
      parentSpanId: edge?.spanId,
      attributes: expect.arrayContaining([
        { key: 'submission.id', value: { stringValue: id } },
        { key: 'outcome.status', value: { stringValue: 'accepted' } },
      ]),
    });
    expect(BigInt(decision!.startTimeUnixNano)).toBeLessThanOrEqual(
      BigInt(decision!.endTimeUnixNano),
    );
    expect(receiver.requests[0]).toEqual({ path: '/v1/traces', contentType: 'application/json' });

    // The outcome names the decision span, so whoever reads it next continues the same trace.
    const outcome = await outcomes.messageAbout(id);
    expect(parseTraceparent(outcome.headers.traceparent)).toEqual({
      traceId: TRACE_ID,
      spanId: decision?.spanId,
      flags: 1,
    });
  });

  it('exports no span for a request the caller marked unsampled, nor for probes', async () => {
    const unsampled = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const [meter] = await seedMeters(db, [registryRecord({ initial_on: '2026-01-01' })]);
    await postOneReading(gateway, kiosk, `otlp-off-${process.env.E2E_RUN_ID}`, meter, '00131.000')
      .set('traceparent', `00-${unsampled}-${CALLER_SPAN}-00`)
      .expect(202);
    await request(gateway.getHttpServer()).get('/health/live').expect(200);
    // A sampled request after them: once its span is in, theirs would have been too.
    await request(gateway.getHttpServer())
      .get('/v1/kiosk/submissions/0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11')
      .set('traceparent', `00-${'b'.repeat(32)}-${CALLER_SPAN}-01`)
      .expect(401);
    await eventually(
      async () => receiver.spans.filter((s) => s.traceId === 'b'.repeat(32)),
      (found) => found.length === 1,
      20_000,
    );
    expect(receiver.spans.filter((s) => s.traceId === unsampled)).toEqual([]);
    expect(receiver.spans.filter((s) => /health|metrics/.test(s.name))).toEqual([]);
  });
});
