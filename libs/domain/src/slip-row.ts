import { characterCount, ZONES, type Zone } from '@gw/contracts';
import type { Period } from './moscow-time';
import { parsePaymentQr } from './payment-qr';
import { METER_SERIAL, type Parsed } from './registry-row';

/** Columns of a scanning centre's batch file (contract section 7.4), in the documented order. */
export const SLIP_COLUMNS = [
  'slip_id',
  'qr_payload',
  'meter_serial',
  'zone',
  'value',
  'confidence',
  'image_ref',
] as const;
export type SlipColumn = (typeof SLIP_COLUMNS)[number];
/** `image_ref` may be left out of the file; every other column must be in its header. */
export const SLIP_REQUIRED_COLUMNS: readonly SlipColumn[] = SLIP_COLUMNS.filter(
  (c) => c !== 'image_ref',
);

export type SlipRecord = Partial<Record<SlipColumn, string>>;

/** Slip ids, batch ids and scanning-centre ids: short, unambiguous in paths and in `source.ref`. */
export const SLIP_ID = /^[A-Za-z0-9._-]{1,64}$/;
export const BATCH_ID = SLIP_ID;
export const SCANNING_CENTRE_ID = SLIP_ID;

const VALUE = /^\d{1,15}(?:[.,]\d{1,9})?$/;
const CONFIDENCE = /^[01](?:[.,]\d{1,9})?$/;
const IMAGE_REF_MAX = 512;

/**
 * Why `ref` cannot name a slip image, or null when it can. Stored as text, which cannot hold U+0000;
 * its length counts characters (code points), as the column does, not UTF-16 units.
 */
export function imageRefProblem(ref: string): string | null {
  return (ref.length > IMAGE_REF_MAX && characterCount(ref) > IMAGE_REF_MAX) || /\p{Cc}/u.test(ref)
    ? `image_ref must be at most ${IMAGE_REF_MAX} characters without control characters`
    : null;
}

/** One valid row: the value of one tariff zone of one meter, as recognised on one slip. */
export interface SlipLine {
  slipId: string;
  meterSerial: string;
  /** `PersAcc` of the slip's payment QR code. */
  accountNumber: string;
  /** `PaymPeriod` of the QR code, as `YYYY-MM`: which payment document the slip was torn from. */
  paymPeriod: Period | null;
  zone: Zone;
  /** As recognised: a decimal comma is kept here and normalised in the canonical message. */
  value: string;
  /** 0..1, how sure the recogniser is of this value. */
  confidence: number;
  imageRef: string | null;
}

export interface ParsedSlipRecord {
  /** Set whenever valid, so that even a row with a bad value joins the rows of its slip and meter. */
  slipId: string | null;
  meterSerial: string | null;
  /** Set whenever valid, so that the report shows them for a row refused for another column. */
  zone: Zone | null;
  imageRef: string | null;
  line: Parsed<SlipLine>;
}

/** Validates one row of a batch file; the error names the first column that is wrong. */
export function parseSlipRecord(record: SlipRecord): ParsedSlipRecord {
  const get = (column: SlipColumn) => (record[column] ?? '').trim();
  const slipText = get('slip_id');
  const serialText = get('meter_serial');
  const slipId = SLIP_ID.test(slipText) ? slipText : null;
  const meterSerial = METER_SERIAL.test(serialText) ? serialText : null;
  const zoneText = get('zone');
  const zone = ZONES.includes(zoneText as Zone) ? (zoneText as Zone) : null;
  const imageRefText = get('image_ref');
  const imageRefError = imageRefProblem(imageRefText);
  const imageRef = imageRefError === null && imageRefText !== '' ? imageRefText : null;
  const result = (line: Parsed<SlipLine>): ParsedSlipRecord => ({
    slipId,
    meterSerial,
    zone,
    imageRef,
    line,
  });
  const fail = (error: string) => result({ ok: false, error });

  if (slipId === null) return fail(`slip_id must be 1 to 64 letters, digits, ".", "_" or "-"`);
  const qr = parsePaymentQr(get('qr_payload'));
  if (!qr.ok) return fail(`qr_payload: ${qr.error}`);
  if (qr.value.persAcc === null)
    return fail('qr_payload has no PersAcc (the account number) in its payment QR code');
  if (meterSerial === null) return fail('meter_serial must be 1 to 32 printable characters');
  if (zone === null) return fail(`zone must be one of ${ZONES.join(', ')}`);
  const value = get('value');
  if (!VALUE.test(value))
    return fail('value must be a non-negative decimal with at most one "," or "."');
  const confidenceText = get('confidence');
  const confidence = Number(confidenceText.replace(',', '.'));
  if (!CONFIDENCE.test(confidenceText) || confidence > 1)
    return fail('confidence must be a decimal from 0 to 1');
  if (imageRefError) return fail(imageRefError);
  return result({
    ok: true,
    value: {
      slipId,
      meterSerial,
      accountNumber: qr.value.persAcc,
      paymPeriod: qr.value.paymPeriod,
      zone,
      value,
      confidence,
      imageRef,
    },
  });
}
