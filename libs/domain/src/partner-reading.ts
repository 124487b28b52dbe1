import {
  buildSubmission,
  characterCount,
  repeatedJsonName,
  repeatedNameProblem,
  type SubmissionMessage,
  utf8Text,
  type Zone,
} from '@gw/contracts';
import {
  formatDate,
  type IsoDate,
  isValidDate,
  moscowDate,
  moscowMidnight,
  toMoscowIso,
} from './moscow-time';
import { PARTNER_ID, type PartnerMapping } from './partner-map-row';
import type { Parsed } from './registry-row';

/** `source.id` of every partner submission: with `source.ref` = `msgId` it fixes the submission id. */
export const PARTNER_SOURCE_ID = 'mosenergosbyt';

/**
 * Partner dates carry no time of day. A reading counts as taken at noon Moscow time, or at the
 * moment it reached us when that is earlier on the same day (so today's reading received in the
 * morning is not "in the future").
 */
export const PARTNER_READ_HOUR = 12;

/** A partner message that passed every shape check: values with a dot, the date as `YYYY-MM-DD`. */
export interface PartnerReading {
  msgId: string;
  partnerAccount: string;
  partnerMeter: string;
  values: { zone: Zone; value: string }[];
  readOn: IsoDate;
}

/** Digits with at most one decimal separator: the partner writes a comma, a dot is tolerated. */
const PARTNER_DECIMAL = /^\d+(?:[.,]\d+)?$/;
const PARTNER_DATE = /^(\d{2})\.(\d{2})\.(\d{4})$/;
const ZONE_FIELDS = [
  ['t1', 'T1'],
  ['t2', 'T2'],
  ['t3', 'T3'],
] as const;
const MAX_VALUE_LENGTH = 32;
const MAX_MSG_ID_LENGTH = 256;

/** `DD.MM.YYYY` -> `YYYY-MM-DD`; null when it is not a real calendar date in that form. */
export function parsePartnerDate(text: string): IsoDate | null {
  const m = PARTNER_DATE.exec(text);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  return isValidDate(iso) ? iso : null;
}

/** `12345,6` -> `12345.6`; null when it is not a non-negative decimal. */
export function parsePartnerDecimal(text: string): string | null {
  if (text.length > MAX_VALUE_LENGTH || !PARTNER_DECIMAL.test(text)) return null;
  return text.replace(',', '.');
}

/** Checks a decoded partner message; the error names the first field that is wrong. */
export function validatePartnerMessage(input: unknown): Parsed<PartnerReading> {
  const fail = (error: string): Parsed<PartnerReading> => ({ ok: false, error });
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('not a JSON object');
  const m = input as Record<string, unknown>;
  if (
    typeof m.msgId !== 'string' ||
    m.msgId.length === 0 ||
    characterCount(m.msgId) > MAX_MSG_ID_LENGTH ||
    m.msgId.trim() !== m.msgId ||
    /[\p{Cc}\p{Cs}]/u.test(m.msgId)
  )
    return fail(
      `msgId must be a string of 1 to ${MAX_MSG_ID_LENGTH} characters without control characters, lone surrogates or surrounding spaces`,
    );
  if (typeof m.lsMes !== 'string' || !PARTNER_ID.test(m.lsMes))
    return fail('lsMes must be a string of 1 to 32 printable characters without spaces');
  if (typeof m.counterNo !== 'string' || !PARTNER_ID.test(m.counterNo))
    return fail('counterNo must be a string of 1 to 32 printable characters without spaces');
  const values: PartnerReading['values'] = [];
  for (const [field, zone] of ZONE_FIELDS) {
    const text = m[field];
    if (text === null || text === undefined) continue;
    const value = typeof text === 'string' ? parsePartnerDecimal(text) : null;
    if (value === null)
      return fail(`${field} must be a non-negative decimal string such as "12345,6", or null`);
    values.push({ zone, value });
  }
  if (values.length === 0) return fail('at least one of t1, t2, t3 must be given');
  const readOn = typeof m.readDate === 'string' ? parsePartnerDate(m.readDate) : null;
  if (readOn === null) return fail('readDate must be a date DD.MM.YYYY');
  if (m.src !== null && m.src !== undefined && typeof m.src !== 'string')
    return fail('src must be a string or null');
  return {
    ok: true,
    value: { msgId: m.msgId, partnerAccount: m.lsMes, partnerMeter: m.counterNo, values, readOn },
  };
}

/** Decodes a Kafka message value from the partner: UTF-8 JSON. */
export function parsePartnerMessage(value: Uint8Array | null): Parsed<PartnerReading> {
  if (value === null || value.length === 0) return { ok: false, error: 'empty message value' };
  const text = utf8Text(value);
  if (text === null) return { ok: false, error: 'value is not UTF-8' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, error: 'value is not valid JSON' };
  }
  const repeated = repeatedJsonName(text);
  if (repeated !== null) return { ok: false, error: repeatedNameProblem(repeated) };
  return validatePartnerMessage(parsed);
}

/** When a reading of `readOn` counts as taken (see PARTNER_READ_HOUR). */
export function partnerReadAt(readOn: IsoDate, receivedAt: Date): Date {
  const noon = new Date(moscowMidnight(readOn).getTime() + PARTNER_READ_HOUR * 3600_000);
  const sameDay = formatDate(moscowDate(receivedAt)) === readOn;
  return sameDay && receivedAt < noon ? receivedAt : noon;
}

/** The canonical submission of a mapped partner reading. */
export function toPartnerSubmission(
  reading: PartnerReading,
  mapping: Pick<PartnerMapping, 'accountNumber' | 'serial'>,
  receivedAt: Date,
): SubmissionMessage {
  return buildSubmission({
    channel: 'mosenergosbyt',
    sourceId: PARTNER_SOURCE_ID,
    sourceRef: reading.msgId,
    accountNumber: mapping.accountNumber,
    meterSerial: mapping.serial,
    values: reading.values,
    readAt: toMoscowIso(partnerReadAt(reading.readOn, receivedAt)),
    receivedAt: toMoscowIso(receivedAt),
  });
}
