import { daysInMonth } from './calendar';
import { CHANNELS, type Channel, type Zone } from './codes';

export const SUBMISSION_SCHEMA = 'meter-reading-submitted/1';

export interface ZoneValue {
  zone: Zone;
  value: string;
}

/** Canonical submission on `meter-readings.submitted.v1` (contract section 2). */
export interface SubmissionMessage {
  schema: typeof SUBMISSION_SCHEMA;
  submissionId: string;
  channel: Channel;
  source: { id: string; ref: string };
  accountNumber: string;
  meterSerial: string;
  /** Zones are kept as sent: a zone the meter lacks is a processing decision, not a decoding error. */
  values: { zone: string; value: string }[];
  readAt: string;
  receivedAt: string;
  confidence: number | null;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

/** RFC 3339 date-time with a mandatory offset, its fields captured: year, month, day, hour, minute, second, offset hour and minute. */
const RFC3339_FIELDS =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 date-time with an offset that names a real instant. `Date.parse` would roll impossible
 * fields over (`2026-02-30` becomes 2 March, `24:00` the next day), so every calendar and clock field
 * is range-checked here instead: a wrong date on the wire must not move a reading. Runs for every
 * reading of every kiosk batch, so it does no other parsing.
 */
export function isTimestamp(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const f = RFC3339_FIELDS.exec(v);
  if (f === null) return false;
  const month = Number(f[2]);
  const day = Number(f[3]);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(Number(f[1]), month) &&
    Number(f[4]) <= 23 &&
    Number(f[5]) <= 59 &&
    Number(f[6]) <= 59 &&
    (f[7] === undefined || (Number(f[7]) <= 23 && Number(f[8]) <= 59))
  );
}

/** Checks the shape of a decoded canonical submission; registry-dependent checks belong to the processor. */
export function validateSubmission(input: unknown): Decoded<SubmissionMessage> {
  const fail = (error: string): Decoded<SubmissionMessage> => ({ ok: false, error });
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('not a JSON object');
  const m = input as Record<string, unknown>;
  if (m.schema !== SUBMISSION_SCHEMA) return fail(`schema must be "${SUBMISSION_SCHEMA}"`);
  if (typeof m.submissionId !== 'string' || !UUID.test(m.submissionId))
    return fail('submissionId must be a UUID');
  if (!CHANNELS.includes(m.channel as Channel))
    return fail(`channel must be one of ${CHANNELS.join(', ')}`);
  const source = m.source as Record<string, unknown> | null;
  if (
    typeof source !== 'object' ||
    source === null ||
    !isText(source.id, 128) ||
    !isText(source.ref, 256)
  ) {
    return fail('source must be an object with non-empty id and ref');
  }
  if (!isText(m.accountNumber, 64)) return fail('accountNumber must be a non-empty string');
  if (!isText(m.meterSerial, 64)) return fail('meterSerial must be a non-empty string');
  if (!Array.isArray(m.values) || m.values.length < 1 || m.values.length > 3) {
    return fail('values must be an array of 1 to 3 entries');
  }
  for (const [i, entry] of m.values.entries()) {
    const e = entry as Record<string, unknown> | null;
    if (
      typeof e !== 'object' ||
      e === null ||
      !isText(e.zone, 8) ||
      typeof e.value !== 'string' ||
      e.value.length > 64
    ) {
      return fail(`values[${i}] must be { zone, value } with a decimal string value`);
    }
  }
  if (!isTimestamp(m.readAt)) return fail('readAt must be an RFC 3339 timestamp with an offset');
  if (!isTimestamp(m.receivedAt))
    return fail('receivedAt must be an RFC 3339 timestamp with an offset');
  const c = m.confidence;
  if (c !== null && c !== undefined && (typeof c !== 'number' || !(c >= 0 && c <= 1))) {
    return fail('confidence must be null or a number from 0 to 1');
  }
  return {
    ok: true,
    value: {
      schema: SUBMISSION_SCHEMA,
      submissionId: m.submissionId.toLowerCase(),
      channel: m.channel as Channel,
      source: { id: source.id as string, ref: source.ref as string },
      accountNumber: m.accountNumber,
      meterSerial: m.meterSerial,
      values: (m.values as { zone: string; value: string }[]).map(({ zone, value }) => ({
        zone,
        value,
      })),
      readAt: m.readAt,
      receivedAt: m.receivedAt,
      confidence: typeof c === 'number' ? c : null,
    },
  };
}

/** Decodes the raw bytes of a Kafka message value. */
export function decodeSubmission(raw: Buffer | null): Decoded<SubmissionMessage> {
  if (!raw || raw.length === 0) return { ok: false, error: 'empty message value' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, error: 'value is not valid JSON' };
  }
  return validateSubmission(parsed);
}
