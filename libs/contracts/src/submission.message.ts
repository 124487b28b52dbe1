import { FIRST_YEAR, isCalendarDate, LAST_YEAR, MAX_OFFSET_MINUTES } from './calendar';
import { CHANNELS, type Channel } from './codes';
import { characterCount, isStorableText, utf8Text } from './utf8';
import { isUuid } from './uuid';

export const SUBMISSION_SCHEMA = 'meter-reading-submitted/1';

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

/** What a valid timestamp is, for error messages that name the field before it. */
export const TIMESTAMP_RULE = `must be an RFC 3339 timestamp with an offset within ±14:00, years ${FIRST_YEAR} to ${LAST_YEAR}`;

/** What text the columns can store, for error messages that name the limit a field breaks. */
const STORABLE = 'without U+0000 or a lone surrogate';

/**
 * Non-empty text of at most `max` characters (code points, as the columns count them) that can be
 * stored as written: a message carrying U+0000 or a lone surrogate never could be.
 */
function isText(v: unknown, max: number): v is string {
  return (
    typeof v === 'string' &&
    v.length > 0 &&
    (v.length <= max || characterCount(v) <= max) &&
    isStorableText(v)
  );
}

/** RFC 3339 date-time with a mandatory offset: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** The number written by the two ASCII digits at `i` (the caller knows they are digits). */
const twoDigits = (text: string, i: number) =>
  (text.charCodeAt(i) - 48) * 10 + text.charCodeAt(i + 1) - 48;

/**
 * An RFC 3339 date-time with an offset that names a real instant of the years the gateway accepts
 * (contract section 2: years FIRST_YEAR..LAST_YEAR, offset within ±14:00). `Date.parse` would roll
 * impossible fields over (`2026-02-30` becomes 2 March, `24:00` the next day), so every calendar and
 * clock field is range-checked here instead: a wrong date on the wire must not move a reading. Runs
 * for every reading of every kiosk batch, so once the pattern holds it reads the fields in place,
 * from their fixed positions (the offset's from the end), without capturing or parsing anything.
 */
export function isTimestamp(v: unknown): v is string {
  if (typeof v !== 'string' || !RFC3339.test(v)) return false;
  const end = v.length;
  const zulu = v.endsWith('Z');
  const offsetMinutes = zulu ? 0 : twoDigits(v, end - 5) * 60 + twoDigits(v, end - 2);
  return (
    isCalendarDate(twoDigits(v, 0) * 100 + twoDigits(v, 2), twoDigits(v, 5), twoDigits(v, 8)) &&
    twoDigits(v, 11) <= 23 &&
    twoDigits(v, 14) <= 59 &&
    twoDigits(v, 17) <= 59 &&
    (zulu || twoDigits(v, end - 2) <= 59) &&
    offsetMinutes <= MAX_OFFSET_MINUTES
  );
}

/** RFC 3339 as section 5.6 writes it: `T` and `Z` may be lower case, a fraction may have any length. */
const ANY_RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Timestamps on the wire are written with `T` and `Z` and at most nine fraction digits (what
 * `isTimestamp` checks); whatever reads any RFC 3339 text (the channels, the processor decoding a
 * submission) normalises it here first. Digits past the ninth are cut: the checks and the database
 * use milliseconds. Text of another form is returned as it is.
 */
export function normaliseTimestamp(text: string): string {
  const m = ANY_RFC3339.exec(text);
  return m ? `${m[1]}T${m[2]}${(m[3] ?? '').slice(0, 10)}${m[4].toUpperCase()}` : text;
}

/**
 * `v` as a wire timestamp, when it is any RFC 3339 text within the bounds (contract section 2):
 * as it is when already in the wire's form (every message our adapters write), else normalised;
 * null when it is none.
 */
export function readTimestamp(v: unknown): string | null {
  if (isTimestamp(v)) return v;
  const normalised = typeof v === 'string' ? normaliseTimestamp(v) : null;
  return isTimestamp(normalised) ? normalised : null;
}

/** Checks the shape of a decoded canonical submission; registry-dependent checks belong to the processor. */
export function validateSubmission(input: unknown): Decoded<SubmissionMessage> {
  const fail = (error: string): Decoded<SubmissionMessage> => ({ ok: false, error });
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('not a JSON object');
  const m = input as Record<string, unknown>;
  if (m.schema !== SUBMISSION_SCHEMA) return fail(`schema must be "${SUBMISSION_SCHEMA}"`);
  if (typeof m.submissionId !== 'string' || !isUuid(m.submissionId))
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
    return fail(
      `source must be an object with an id of 1 to 128 characters and a ref of 1 to 256, ${STORABLE}`,
    );
  }
  if (!isText(m.accountNumber, 64))
    return fail(`accountNumber must be a string of 1 to 64 characters, ${STORABLE}`);
  if (!isText(m.meterSerial, 64))
    return fail(`meterSerial must be a string of 1 to 64 characters, ${STORABLE}`);
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
      e.value.length > 64 ||
      !isStorableText(e.value)
    ) {
      return fail(
        `values[${i}] must be { zone, value }: a zone of 1 to 8 characters and a value string of at most 64, ${STORABLE}`,
      );
    }
  }
  // A lower-case `t` or a long fraction is read, not dead-lettered.
  const readAt = readTimestamp(m.readAt);
  if (readAt === null) return fail(`readAt ${TIMESTAMP_RULE}`);
  const receivedAt = readTimestamp(m.receivedAt);
  if (receivedAt === null) return fail(`receivedAt ${TIMESTAMP_RULE}`);
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
      readAt,
      receivedAt,
      confidence: typeof c === 'number' ? c : null,
    },
  };
}

/** Decodes the raw bytes of a Kafka message value. */
export function decodeSubmission(raw: Buffer | null): Decoded<SubmissionMessage> {
  if (!raw || raw.length === 0) return { ok: false, error: 'empty message value' };
  const text = utf8Text(raw);
  if (text === null) return { ok: false, error: 'value is not UTF-8' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, error: 'value is not valid JSON' };
  }
  return validateSubmission(parsed);
}
