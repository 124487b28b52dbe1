import { randomFillSync } from 'node:crypto';

/** The W3C Trace Context header; edges read it from HTTP and every hop carries it as a Kafka header. */
export const TRACEPARENT_HEADER = 'traceparent';

/** One span of a trace, as a `traceparent` header names it (W3C Trace Context, level 1). */
export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** The span's id: 16 lowercase hex digits, not all zero. */
  spanId: string;
  /** Trace flags; bit 0 is "sampled". */
  flags: number;
}

const VERSION_00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
/** A later version may append fields; its first four read as version 00's. */
const LATER_VERSION = /^(?!ff)[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;
const ZERO = /^0+$/;

/**
 * The trace context of a `traceparent` value, or null when it is malformed: a caller's bad header
 * starts a new trace rather than failing the request. Version 00 must be exactly 55 characters;
 * a later version is read by its first four fields; version ff, upper case and all-zero ids are
 * invalid.
 */
export function parseTraceparent(value: unknown): TraceContext | null {
  if (typeof value !== 'string' || value.length > 512) return null;
  const match =
    VERSION_00.exec(value) ?? (value.startsWith('00') ? null : LATER_VERSION.exec(value));
  if (!match) return null;
  const [, traceId, spanId, flags] = match;
  if (ZERO.test(traceId) || ZERO.test(spanId)) return null;
  return { traceId, spanId, flags: parseInt(flags, 16) };
}

/** The version 00 header of a span. */
export function formatTraceparent({ traceId, spanId, flags }: TraceContext): string {
  return `00-${traceId}-${spanId}-${(flags & 0xff).toString(16).padStart(2, '0')}`;
}

/**
 * Random ids in hex, drawn from a pool refilled 4 KiB at a time: one system call per 512 span
 * ids rather than one each (every reading of a batch gets a span). An id of all zeros, invalid
 * in a header, is drawn again.
 */
const pool = Buffer.alloc(4096);
let drawn = pool.length;
function randomId(bytes: number): string {
  if (drawn + bytes > pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
  const id = pool.toString('hex', drawn, (drawn += bytes));
  return ZERO.test(id) ? randomId(bytes) : id;
}

const spanId = () => randomId(8);

/** A new trace, sampled, for a request that came without a (valid) `traceparent`. */
export function newTrace(): TraceContext {
  return { traceId: randomId(16), spanId: spanId(), flags: 1 };
}

/** The next span of the same trace: what one hop passes on after receiving `parent`. */
export function childSpan(parent: TraceContext): TraceContext {
  return { ...parent, spanId: spanId() };
}

/** Kafka headers naming `span` as the parent of the next hop; none without a span. */
export function traceHeaders(span: TraceContext | null | undefined): Record<string, string> {
  return span ? { [TRACEPARENT_HEADER]: formatTraceparent(span) } : {};
}
