import { type Decoded, isStorableText, type Resource } from '@gw/contracts';
import { isValidDate, type IsoDate } from './moscow-time';

/** One verification result as ФГИС «Аршин» publishes it (contract section 8), validated. */
export interface ArshinRecord {
  vriId: string;
  orgTitle: string;
  /** The type's number in the Federal register of approved types (`mit_number`). */
  typeNumber: string;
  typeTitle: string;
  serial: string;
  verifiedOn: IsoDate;
  /** Null when the meter was found unfit. */
  validUntil: IsoDate | null;
  resultDocnum: string;
  applicable: boolean;
}

/** Arshin's `DD.MM.YYYY` as an ISO date, or null when it is not a real date. */
export function arshinDate(text: unknown): IsoDate | null {
  if (typeof text !== 'string') return null;
  const match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text.trim());
  if (!match) return null;
  const iso = `${match[3]}-${match[2]}-${match[1]}`;
  return isValidDate(iso) ? iso : null;
}

/** The item's text fields the gateway stores or compares, and their longest length. */
const TEXT_FIELDS = {
  vri_id: 64,
  mi_number: 64,
  org_title: 1000,
  mit_number: 16,
  mit_title: 1000,
  result_docnum: 128,
} as const;

type TextField = keyof typeof TEXT_FIELDS;

/**
 * A text field as written (trimmed), '' when absent, or why it cannot be stored as written: U+0000
 * (PostgreSQL refuses it) or a lone surrogate (its driver would store U+FFFD), and text longer than
 * its column is never stored altered.
 */
function textField(raw: Record<string, unknown>, field: TextField): Decoded<string> {
  const value = raw[field];
  if (value === undefined || value === null) return { ok: true, value: '' };
  if (typeof value !== 'string') return { ok: false, error: `${field} is not text` };
  if (!isStorableText(value))
    return {
      ok: false,
      error: `${field} holds U+0000 or a lone surrogate, which cannot be stored`,
    };
  const trimmed = value.trim();
  if (trimmed.length > TEXT_FIELDS[field])
    return { ok: false, error: `${field} is longer than ${TEXT_FIELDS[field]} characters` };
  return { ok: true, value: trimmed };
}

/**
 * One item of Arshin's `result.items` as a record, or why it is not usable: its text must be
 * storable as written, it needs `vri_id`, `mi_number` and the verification date, and a fit record
 * its valid-until date on or after the verification date (an unfit one has none).
 */
export function parseArshinItem(item: unknown): Decoded<ArshinRecord> {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return { ok: false, error: 'not a record' };
  const raw = item as Record<string, unknown>;
  const texts = {} as Record<TextField, string>;
  for (const field of Object.keys(TEXT_FIELDS) as TextField[]) {
    const value = textField(raw, field);
    if (!value.ok) return value;
    texts[field] = value.value;
  }
  if (texts.vri_id === '') return { ok: false, error: 'no vri_id' };
  if (texts.mi_number === '') return { ok: false, error: 'no mi_number' };
  const verifiedOn = arshinDate(raw.verification_date);
  if (verifiedOn === null)
    return { ok: false, error: 'verification_date is not a DD.MM.YYYY date' };
  if (typeof raw.applicability !== 'boolean')
    return { ok: false, error: 'applicability is neither true nor false' };
  const applicable = raw.applicability;
  const validUntil = applicable ? arshinDate(raw.valid_date) : null;
  if (applicable && validUntil === null)
    return { ok: false, error: 'valid_date of a fit record is not a DD.MM.YYYY date' };
  if (validUntil !== null && validUntil < verifiedOn)
    return { ok: false, error: 'valid_date is before verification_date' };
  return {
    ok: true,
    value: {
      vriId: texts.vri_id,
      orgTitle: texts.org_title,
      typeNumber: texts.mit_number,
      typeTitle: texts.mit_title,
      serial: texts.mi_number,
      verifiedOn,
      validUntil,
      resultDocnum: texts.result_docnum,
      applicable,
    },
  };
}

/** An item of Arshin's answer that is not a usable record: its number from 1, why, and its date. */
export interface UnusableArshinItem {
  item: number;
  error: string;
  /** Its verification date, null when that cannot be read either. */
  verifiedOn: IsoDate | null;
}

/** Arshin's `result.items`: the usable records, and the items that are not. */
export interface ArshinItems {
  records: ArshinRecord[];
  unusable: UnusableArshinItem[];
}

/** Reads each item on its own: one that is not usable is left out and named, never altered. */
export function parseArshinItems(items: readonly unknown[]): ArshinItems {
  const parsed: ArshinItems = { records: [], unusable: [] };
  for (const [i, item] of items.entries()) {
    const record = parseArshinItem(item);
    if (record.ok) parsed.records.push(record.value);
    else
      parsed.unusable.push({
        item: i + 1,
        error: record.error,
        verifiedOn: arshinDate((item as { verification_date?: unknown } | null)?.verification_date),
      });
  }
  return parsed;
}

/**
 * Whether an item left out may be a meter's latest record: its verification date cannot be read,
 * or is not before the latest of the meter's usable records. Recording those would then judge the
 * meter by a record that may not be its latest (a fit one, when the latest found it unfit).
 */
export function skippedMayBeLatest(
  records: readonly ArshinRecord[],
  unusable: readonly UnusableArshinItem[],
): boolean {
  const latest = records.reduce<IsoDate | null>(
    (max, r) => (max === null || r.verifiedOn > max ? r.verifiedOn : max),
    null,
  );
  return unusable.some((u) => latest === null || u.verifiedOn === null || u.verifiedOn >= latest);
}

/**
 * What a meter type measures, read from its title in the Federal register; null when unclear.
 * Electricity is named as such ("электрической энергии", "электроэнергии"): "электронные" gas,
 * heat and water meters, or water meters with an electrical output, measure their own resource.
 */
export function typeResources(typeTitle: string): readonly Resource[] | null {
  const title = typeTitle.toLowerCase();
  if (/электрическ\S*\s+энерг|электроэнерг|электричеств/.test(title)) return ['electricity'];
  if (/газ/.test(title)) return ['gas'];
  if (/тепл/.test(title)) return ['heat'];
  // At a word's start: "вод" inside a word ("четырехпроводные", "производства") is no water.
  if (/(?<![а-яё])вод/.test(title)) return ['cold_water', 'hot_water'];
  return null;
}

export type ArshinMatch =
  | { kind: 'found'; records: ArshinRecord[] }
  | { kind: 'not_found' }
  | { kind: 'ambiguous'; typeNumbers: string[] }
  | { kind: 'unclear'; typeNumbers: string[] };

/**
 * The records that are this meter's (domain.md): serials are not unique across manufacturers, so
 * with the type number on file only records of that type count; without it, only records whose
 * type measures the meter's resource, and records of two or more types are ambiguous (an
 * operator decides; nothing is recorded). With none of them, records of the serial whose type's
 * title names no resource are unclear: they may be this meter's, so an operator decides too.
 * Records come back latest verification first.
 */
export function matchArshinRecords(
  meter: { serial: string; resource: Resource; typeNumber: string | null },
  records: readonly ArshinRecord[],
): ArshinMatch {
  const mine = records.filter(
    (r) =>
      r.serial === meter.serial &&
      (meter.typeNumber !== null
        ? r.typeNumber === meter.typeNumber
        : (typeResources(r.typeTitle)?.includes(meter.resource) ?? false)),
  );
  if (mine.length === 0) {
    const unclear =
      meter.typeNumber === null
        ? records.filter((r) => r.serial === meter.serial && typeResources(r.typeTitle) === null)
        : [];
    return unclear.length === 0
      ? { kind: 'not_found' }
      : { kind: 'unclear', typeNumbers: typeNumbersOf(unclear) };
  }
  const typeNumbers = typeNumbersOf(mine);
  if (typeNumbers.length > 1) return { kind: 'ambiguous', typeNumbers };
  const byVerification = [...mine].sort((a, b) =>
    a.verifiedOn === b.verifiedOn
      ? b.vriId.localeCompare(a.vriId, 'en', { numeric: true })
      : b.verifiedOn.localeCompare(a.verifiedOn),
  );
  // One record per day: the meter's history holds one verification a day, and when a day has two
  // (a correction) the later entry wins. Arshin numbers its entries in sequence, so the later one
  // has the greater vri_id, compared as a number ('1-100000001' after '1-99999999'); the order of
  // an answer's records within one day is not relied on.
  const perDay = byVerification.filter(
    (r, i) => i === 0 || byVerification[i - 1].verifiedOn !== r.verifiedOn,
  );
  return { kind: 'found', records: perDay };
}

const typeNumbersOf = (records: readonly ArshinRecord[]): string[] =>
  [...new Set(records.map((r) => r.typeNumber))].sort();

/** A fit record's interval in whole months, as the registry counts it (at least one). */
export function arshinIntervalMonths(verifiedOn: IsoDate, validUntil: IsoDate): number {
  const [y1, m1] = verifiedOn.split('-').map(Number);
  const [y2, m2] = validUntil.split('-').map(Number);
  const d1 = Number(verifiedOn.slice(8));
  const d2 = Number(validUntil.slice(8));
  const months = Math.round((y2 - y1) * 12 + (m2 - m1) + (d2 - d1) / 30);
  return Math.max(1, months);
}
