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

const text = (value: unknown, max: number): string | null =>
  typeof value === 'string' && value.trim() !== '' && value.length <= max ? value.trim() : null;

/**
 * One item of Arshin's `result.items`, or null when it is not a usable record: a fit record
 * needs its valid-until date on or after the verification date, an unfit one has none. Its text is
 * taken as written; `parseArshinItems` refuses text that cannot be stored.
 */
export function parseArshinItem(item: unknown): ArshinRecord | null {
  if (typeof item !== 'object' || item === null) return null;
  const raw = item as Record<string, unknown>;
  const vriId = text(raw.vri_id, 64);
  const serial = text(raw.mi_number, 64);
  const verifiedOn = arshinDate(raw.verification_date);
  if (vriId === null || serial === null || verifiedOn === null) return null;
  if (typeof raw.applicability !== 'boolean') return null;
  const applicable = raw.applicability;
  const validUntil = applicable ? arshinDate(raw.valid_date) : null;
  if (applicable && (validUntil === null || validUntil < verifiedOn)) return null;
  return {
    vriId,
    orgTitle: text(raw.org_title, 1000) ?? '',
    typeNumber: text(raw.mit_number, 16) ?? '',
    typeTitle: text(raw.mit_title, 1000) ?? '',
    serial,
    verifiedOn,
    validUntil,
    resultDocnum: text(raw.result_docnum, 128) ?? '',
    applicable,
  };
}

/** The text fields of an item the gateway reads: each is stored, or compared with what is. */
const TEXT_FIELDS = [
  'vri_id',
  'mi_number',
  'org_title',
  'mit_number',
  'mit_title',
  'result_docnum',
];

/**
 * The usable records of Arshin's `result.items`, or why the answer is refused whole: a text field
 * holding U+0000 (PostgreSQL refuses it) or a lone surrogate (its driver would store U+FFFD) cannot
 * be stored as Arshin wrote it, and a record is never stored altered.
 */
export function parseArshinItems(items: readonly unknown[]): Decoded<ArshinRecord[]> {
  for (const [i, item] of items.entries()) {
    const raw = item as Record<string, unknown> | null | undefined;
    const field = TEXT_FIELDS.find((f) => {
      const value = raw?.[f];
      return typeof value === 'string' && !isStorableText(value);
    });
    if (field !== undefined)
      return {
        ok: false,
        error: `unusable answer: ${field} of item ${i + 1} holds U+0000 or a lone surrogate, which cannot be stored`,
      };
  }
  return { ok: true, value: items.map(parseArshinItem).filter((r) => r !== null) };
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
  if (/вод/.test(title)) return ['cold_water', 'hot_water'];
  return null;
}

export type ArshinMatch =
  | { kind: 'found'; records: ArshinRecord[] }
  | { kind: 'not_found' }
  | { kind: 'ambiguous'; typeNumbers: string[] };

/**
 * The records that are this meter's (domain.md): serials are not unique across manufacturers, so
 * with the type number on file only records of that type count; without it, only records whose
 * type measures the meter's resource, and records of two or more types are ambiguous (an
 * operator decides; nothing is recorded). Records come back latest verification first.
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
  if (mine.length === 0) return { kind: 'not_found' };
  const typeNumbers = [...new Set(mine.map((r) => r.typeNumber))].sort();
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

/** A fit record's interval in whole months, as the registry counts it (at least one). */
export function arshinIntervalMonths(verifiedOn: IsoDate, validUntil: IsoDate): number {
  const [y1, m1] = verifiedOn.split('-').map(Number);
  const [y2, m2] = validUntil.split('-').map(Number);
  const d1 = Number(verifiedOn.slice(8));
  const d2 = Number(validUntil.slice(8));
  const months = Math.round((y2 - y1) * 12 + (m2 - m1) + (d2 - d1) / 30);
  return Math.max(1, months);
}
