import { type ValidationError, Validator, type ValidatorOptions } from 'class-validator';
import { KioskReadingColumnsDto, KioskReadingDto } from './kiosk-batch.dto';

export type CheckedItem =
  | { ok: true; seq: number; value: KioskReadingDto }
  | { ok: false; seq: number | string | null; errors: string[] };

/** `seq` as the kiosk sent it, so it can match an invalid item's answer to its own record. */
function sentSeq(item: unknown): number | string | null {
  const seq = (item as { seq?: unknown } | null)?.seq;
  return typeof seq === 'number' || typeof seq === 'string' ? seq : null;
}

/** `property message`; a message starting with an index continues the path (`values[1].zone …`). */
function messages(errors: ValidationError[]): string[] {
  return errors.flatMap(({ property, constraints }) =>
    Object.values(constraints ?? {}).map((m) => `${property}${m.startsWith('[') ? '' : ' '}${m}`),
  );
}

/**
 * Each property of a KioskReadingDto has one constraint naming its first problem, so stopping at
 * the first error would change nothing and costs a check per constraint; errors carry no copy of
 * the item or its values, since only `property` and `constraints` are read.
 */
const ITEM_OPTIONS: ValidatorOptions = {
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
};

/** Used directly rather than through `validateSync`, which looks it up in a container per call. */
const validator = new Validator();

const isObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object item as a KioskReadingDto, unchecked; null for anything else. */
function toReading(item: unknown): KioskReadingDto | null {
  if (!isObject(item)) return null;
  // Only the known fields: a JSON `__proto__` key copied over would swap the DTO's prototype and
  // hide its validation metadata.
  const { seq, accountNumber, meterSerial, values, readAt } = item as Record<string, unknown>;
  return Object.assign(new KioskReadingDto(), { seq, accountNumber, meterSerial, values, readAt });
}

/** Whether every reading is well-formed, in one validation of the readings as columns. */
function allWellFormed(readings: KioskReadingDto[]): boolean {
  const columns = new KioskReadingColumnsDto();
  columns.seq = readings.map((r) => r.seq);
  columns.accountNumber = readings.map((r) => r.accountNumber);
  columns.meterSerial = readings.map((r) => r.meterSerial);
  columns.values = readings.map((r) => r.values);
  columns.readAt = readings.map((r) => r.readAt);
  return validator.validateSync(columns, ITEM_OPTIONS).length === 0;
}

function checkOne(
  item: unknown,
  reading: KioskReadingDto | null,
  wellFormed: boolean,
): CheckedItem {
  if (reading === null) return { ok: false, seq: null, errors: ['the item must be a JSON object'] };
  const errors = wellFormed ? [] : validator.validateSync(reading, ITEM_OPTIONS);
  return errors.length === 0
    ? { ok: true, seq: reading.seq, value: reading }
    : { ok: false, seq: sentSeq(item), errors: messages(errors) };
}

/**
 * Shape validation of each item of a kiosk batch (contract 7.1), independently, so a bad item is
 * reported while the rest is queued. The readings are first checked all at once, as columns; only
 * when that finds a problem is each one checked on its own, to say which ones fail and why. Items
 * sharing a `seq` are all invalid: their source reference, and so their submission id, would be
 * ambiguous.
 */
export function checkKioskItems(items: unknown[]): CheckedItem[] {
  const readings = items.map(toReading);
  const wellFormed = allWellFormed(readings.filter((r): r is KioskReadingDto => r !== null));
  const checked = items.map((item, i) => checkOne(item, readings[i], wellFormed));
  const seen = new Map<unknown, number>();
  for (const item of items) {
    const seq = sentSeq(item);
    if (seq !== null) seen.set(seq, (seen.get(seq) ?? 0) + 1);
  }
  return checked.map((item) => {
    if (item.seq === null || (seen.get(item.seq) ?? 0) < 2) return item;
    const errors = item.ok ? [] : item.errors;
    return { ok: false, seq: item.seq, errors: [...errors, 'seq must be unique in the batch'] };
  });
}
