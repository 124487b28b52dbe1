import type { TraceContext } from '@gw/contracts';

/** OTLP's span kinds (opentelemetry-proto `Span.SpanKind`). */
export const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
export type SpanKind = keyof typeof SPAN_KIND;

export type SpanAttributes = Record<string, string | number | boolean>;

/** One finished span, as the gateway records it. */
export interface SpanRecord {
  /** The span's own context: its trace id and span id. */
  span: TraceContext;
  /** The span it continues (the caller's, or the previous hop's); absent for a trace's first. */
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  /** Wall-clock milliseconds since the epoch, fractions allowed. */
  startMs: number;
  endMs: number;
  attributes: SpanAttributes;
  /** Set when the span ended in failure (a 5xx, a dead letter), with what went wrong. */
  error?: string;
}

const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

function attributeValue(value: string | number | boolean) {
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  return { stringValue: value };
}

const attributes = (values: SpanAttributes) =>
  Object.entries(values).map(([key, value]) => ({ key, value: attributeValue(value) }));

/**
 * The body of an OTLP/HTTP JSON export (`POST /v1/traces`, ExportTraceServiceRequest): ids as hex,
 * 64-bit numbers as decimal strings, as the protocol's JSON mapping says.
 */
export function otlpTraceRequest(serviceName: string, spans: SpanRecord[]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: attributes({ 'service.name': serviceName }) },
        scopeSpans: [
          {
            scope: { name: 'meter-gateway' },
            spans: spans.map((s) => ({
              traceId: s.span.traceId,
              spanId: s.span.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              flags: s.span.flags & 0xff,
              name: s.name,
              kind: SPAN_KIND[s.kind],
              startTimeUnixNano: nanos(s.startMs),
              endTimeUnixNano: nanos(s.endMs),
              attributes: attributes(s.attributes),
              status: s.error ? { code: 2, message: s.error } : { code: 0 },
            })),
          },
        ],
      },
    ],
  };
}

/**
 * `OTEL_EXPORTER_OTLP_HEADERS`: `key=value` pairs separated by commas, values percent-encoded (the
 * OpenTelemetry convention). Null when the text is not of that form, or a value decodes to what no
 * header may hold (a control character, or one beyond U+00FF).
 */
export function parseOtlpHeaders(text: string): Record<string, string> | null {
  const headers: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    if (at <= 0 || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) return null;
    try {
      headers[key] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return null;
    }
    // What fetch refuses in a header value, quoting it in its error.
    if (/[^\t\x20-\x7e\x80-\xff]/.test(headers[key])) return null;
  }
  return headers;
}
