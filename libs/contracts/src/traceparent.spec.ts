import {
  childSpan,
  formatTraceparent,
  newTrace,
  parseTraceparent,
  type TraceContext,
  traceHeaders,
} from './traceparent';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const HEX = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

describe('parseTraceparent', () => {
  it.each<[string, unknown, TraceContext | null]>([
    [
      'the W3C example, sampled',
      `00-${TRACE}-${SPAN}-01`,
      { traceId: TRACE, spanId: SPAN, flags: 1 },
    ],
    ['not sampled', `00-${TRACE}-${SPAN}-00`, { traceId: TRACE, spanId: SPAN, flags: 0 }],
    [
      'other flag bits kept',
      `00-${TRACE}-${SPAN}-ff`,
      { traceId: TRACE, spanId: SPAN, flags: 255 },
    ],
    ['a later version', `01-${TRACE}-${SPAN}-01`, { traceId: TRACE, spanId: SPAN, flags: 1 }],
    [
      'a later version with more fields',
      `cc-${TRACE}-${SPAN}-01-what-comes-next`,
      { traceId: TRACE, spanId: SPAN, flags: 1 },
    ],
    ['version 00 with more fields', `00-${TRACE}-${SPAN}-01-extra`, null],
    ['version ff', `ff-${TRACE}-${SPAN}-01`, null],
    ['upper case', `00-${TRACE.toUpperCase()}-${SPAN}-01`, null],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`, null],
    ['an all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`, null],
    ['a short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`, null],
    ['a long span id', `00-${TRACE}-${SPAN}0-01`, null],
    ['a one-digit flag', `00-${TRACE}-${SPAN}-1`, null],
    ['not hex', `00-${TRACE.slice(0, 31)}g-${SPAN}-01`, null],
    ['spaces around', ` 00-${TRACE}-${SPAN}-01 `, null],
    ['underscores for dashes', `00_${TRACE}_${SPAN}_01`, null],
    ['empty', '', null],
    ['absent', undefined, null],
    ['an array (a repeated header)', [`00-${TRACE}-${SPAN}-01`], null],
    ['very long', `01-${TRACE}-${SPAN}-01-${'x'.repeat(600)}`, null],
  ])('%s', (_name, header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected);
  });
});

describe('formatTraceparent', () => {
  it.each<[TraceContext, string]>([
    [{ traceId: TRACE, spanId: SPAN, flags: 1 }, `00-${TRACE}-${SPAN}-01`],
    [{ traceId: TRACE, spanId: SPAN, flags: 0 }, `00-${TRACE}-${SPAN}-00`],
    [{ traceId: TRACE, spanId: SPAN, flags: 0x0a }, `00-${TRACE}-${SPAN}-0a`],
  ])('%j -> %s', (context, header) => {
    expect(formatTraceparent(context)).toBe(header);
    expect(parseTraceparent(header)).toEqual(context);
  });
});

describe('new spans', () => {
  it('a new trace is valid version 00, sampled, and differs each time', () => {
    const a = newTrace();
    const b = newTrace();
    expect(formatTraceparent(a)).toMatch(HEX);
    expect(parseTraceparent(formatTraceparent(a))).toEqual(a);
    expect(a.flags).toBe(1);
    expect(a.traceId).not.toBe(b.traceId);
  });

  it('a child keeps the trace and flags with a new span id', () => {
    const parent = { traceId: TRACE, spanId: SPAN, flags: 0 };
    const child = childSpan(parent);
    expect(child).toEqual({
      traceId: TRACE,
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      flags: 0,
    });
    expect(child.spanId).not.toBe(SPAN);
  });

  it('ids stay valid and distinct across many draws, past the refills of their random pool', () => {
    const parent = { traceId: TRACE, spanId: SPAN, flags: 1 };
    const spans = Array.from({ length: 3000 }, () => childSpan(parent).spanId);
    const traces = Array.from({ length: 1000 }, () => newTrace().traceId);
    expect(new Set(spans).size).toBe(spans.length);
    expect(new Set(traces).size).toBe(traces.length);
    for (const id of [...spans, ...traces]) {
      expect(id).toMatch(/^(?!0+$)[0-9a-f]{16}([0-9a-f]{16})?$/);
    }
  });
});

describe('traceHeaders', () => {
  it('names the span as the parent of the next hop', () => {
    expect(traceHeaders({ traceId: TRACE, spanId: SPAN, flags: 1 })).toEqual({
      traceparent: `00-${TRACE}-${SPAN}-01`,
    });
  });

  it.each([null, undefined])('adds nothing without a trace (%p)', (trace) => {
    expect(traceHeaders(trace)).toEqual({});
  });
});
