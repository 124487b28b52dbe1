import 'reflect-metadata';
import { BaseEnv } from '../config/base.env';
import { loadConfig } from '../config/load-config';
import { otlpTraceRequest, parseOtlpHeaders } from './otlp-trace-request';
import { tracingOptions } from './tracer';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('otlpTraceRequest', () => {
  it('writes spans as OTLP/HTTP JSON: hex ids, nanoseconds as strings, typed attributes', () => {
    const body = otlpTraceRequest('kiosk-gateway', [
      {
        span: { traceId: TRACE, spanId: '00f067aa0ba902b7', flags: 1 },
        parentSpanId: 'b7ad6b7169203331',
        name: 'POST /v1/kiosk/readings',
        kind: 'server',
        startMs: 1764900000000.5,
        endMs: 1764900000042,
        attributes: { 'http.route': '/v1/kiosk/readings', 'http.response.status_code': 202 },
      },
      {
        span: { traceId: TRACE, spanId: '1111111111111111', flags: 1 },
        name: 'decide submission',
        kind: 'consumer',
        startMs: 1,
        endMs: 2,
        attributes: { ratio: 0.5, redelivered: false },
        error: 'dead-lettered: STORE_FAILED',
      },
    ]);
    const [resource] = body.resourceSpans;
    expect(resource.resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'kiosk-gateway' } },
    ]);
    expect(resource.scopeSpans[0].spans).toEqual([
      {
        traceId: TRACE,
        spanId: '00f067aa0ba902b7',
        parentSpanId: 'b7ad6b7169203331',
        flags: 1,
        name: 'POST /v1/kiosk/readings',
        kind: 2,
        startTimeUnixNano: '1764900000000500000',
        endTimeUnixNano: '1764900000042000000',
        attributes: [
          { key: 'http.route', value: { stringValue: '/v1/kiosk/readings' } },
          { key: 'http.response.status_code', value: { intValue: '202' } },
        ],
        status: { code: 0 },
      },
      {
        traceId: TRACE,
        spanId: '1111111111111111',
        flags: 1,
        name: 'decide submission',
        kind: 5,
        startTimeUnixNano: '1000000',
        endTimeUnixNano: '2000000',
        attributes: [
          { key: 'ratio', value: { doubleValue: 0.5 } },
          { key: 'redelivered', value: { boolValue: false } },
        ],
        status: { code: 2, message: 'dead-lettered: STORE_FAILED' },
      },
    ]);
  });
});

describe('parseOtlpHeaders', () => {
  it.each<[string, Record<string, string> | null]>([
    ['', {}],
    ['api-key=abc', { 'api-key': 'abc' }],
    [' api-key = a%3Db , tenant=north,', { 'api-key': 'a=b', tenant: 'north' }],
    ['no-value-separator', null],
    ['=value', null],
    ['bad key=v', null],
    ['k=%E0%A4%A', null],
    ['api-key=s3cret%0Anext', null],
    ['api-key=s3cret%00', null],
    ['api-key=%D0%BA%D0%BB%D1%8E%D1%87', null],
    ['api-key=caf%C3%A9', { 'api-key': 'café' }],
  ])('reads %p as %p', (text, expected) => {
    expect(parseOtlpHeaders(text)).toEqual(expected);
  });
});

describe('tracingOptions', () => {
  it.each<[Record<string, string>, string | null]>([
    [{}, null],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, 'http://collector:4318/v1/traces'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example/' }, 'https://otel.example/v1/traces'],
    [
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom',
      },
      'http://traces:9999/custom',
    ],
  ])('exports to the URL %p describes', (vars, url) => {
    expect(tracingOptions(loadConfig(BaseEnv, vars), 'kiosk-gateway')).toMatchObject({
      serviceName: 'kiosk-gateway',
      url,
    });
  });

  it('takes the service name and the headers from the environment', () => {
    const env = loadConfig(BaseEnv, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cret',
      OTEL_SERVICE_NAME: 'gateway-north',
    });
    expect(tracingOptions(env, 'kiosk-gateway')).toEqual({
      serviceName: 'gateway-north',
      url: 'http://collector:4318/v1/traces',
      headers: { 'api-key': 's3cret' },
    });
  });

  it.each<[Record<string, string>, string]>([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT must be'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector' }, 'OTEL_EXPORTER_OTLP_ENDPOINT must be'],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'api-key' }, 'OTEL_EXPORTER_OTLP_HEADERS must be'],
  ])('refuses %p', (vars, message) => {
    expect(() => loadConfig(BaseEnv, vars)).toThrow(message);
  });
});
