import { FIRST_YEAR, LAST_YEAR } from '@gw/contracts';
import type { Period } from './moscow-time';
import type { Parsed } from './registry-row';

/** The character-set digit after `ST0001` (ГОСТ Р 56042-2014). */
export const QR_CHARSETS = { '1': 'windows-1251', '2': 'utf-8', '3': 'koi8-r' } as const;
export type QrCharset = (typeof QR_CHARSETS)[keyof typeof QR_CHARSETS];

/** The validated fields of a payment QR payload; nothing else of the payload is exposed. */
export interface PaymentQr {
  /** The character set the printed code declares. */
  charset: QrCharset;
  separator: string;
  name: string;
  personalAcc: string;
  bankName: string;
  bic: string;
  correspAcc: string;
  /** `PersAcc`: the payer's account with the payee, i.e. our 10-digit account number. */
  persAcc: string | null;
  /** `PaymPeriod` as `YYYY-MM`. */
  paymPeriod: Period | null;
}

const HEADER = 'ST0001';
/** The most a QR code can carry (version 40, binary mode), so anything longer is not a scanned code. */
export const QR_MAX_LENGTH = 2953;
const KEY = /^[A-Za-z][A-Za-z0-9]*$/;
/** Keys of the standard that housing utilities use; finding one inside a value means a wrong separator. */
const KNOWN_KEYS = new Set(
  [
    'Name',
    'PersonalAcc',
    'BankName',
    'BIC',
    'CorrespAcc',
    'PersAcc',
    'PaymPeriod',
    'Sum',
    'Purpose',
    'PayeeINN',
    'KPP',
    'LastName',
    'FirstName',
    'MiddleName',
    'PayerAddress',
    'ServiceName',
    'CounterId',
    'CounterVal',
  ].map((k) => k.toLowerCase()),
);
const EMBEDDED_KEY = /[^A-Za-z0-9]([A-Za-z][A-Za-z0-9]*)=/g;
const REQUIRED = [
  { key: 'Name', valid: (v: string) => v.length <= 160, rule: 'at most 160 characters' },
  { key: 'PersonalAcc', valid: (v: string) => /^\d{20}$/.test(v), rule: '20 digits' },
  { key: 'BankName', valid: (v: string) => v.length <= 45, rule: 'at most 45 characters' },
  { key: 'BIC', valid: (v: string) => /^\d{9}$/.test(v), rule: '9 digits' },
  // Payees served by the Treasury have no correspondent account and write 0.
  {
    key: 'CorrespAcc',
    valid: (v: string) => /^\d{20}$/.test(v) || v === '0',
    rule: '20 digits (or 0)',
  },
] as const;
const PERIOD = /^(\d{2})\.?(\d{4})$/;

function describe(char: string): string {
  return JSON.stringify(char);
}

/**
 * Parses the payload of a payment QR code (ГОСТ Р 56042-2014): `ST0001`, a charset digit, a
 * separator, then `Key=Value` fields. Keys match case-insensitively; unknown fields are accepted
 * but not returned, because nothing here vouches for them.
 *
 * The charset digit is accepted whatever it declares: the payload arrives as already-decoded text
 * (the scanning centre's CSV is UTF-8), and the fields used here are ASCII in all three charsets.
 * Text that lost characters in decoding (U+FFFD) is refused, since then nothing in it is reliable.
 */
export function parsePaymentQr(payload: string): Parsed<PaymentQr> {
  const fail = (error: string): Parsed<PaymentQr> => ({ ok: false, error });
  if (payload.length === 0) return fail('payload is empty');
  if (payload.length > QR_MAX_LENGTH)
    return fail(`payload is longer than ${QR_MAX_LENGTH} characters`);
  if (!payload.startsWith(HEADER)) return fail(`payload must start with ${HEADER}`);
  const charset = QR_CHARSETS[payload[6] as keyof typeof QR_CHARSETS];
  if (!charset)
    return fail(
      `the charset digit after ${HEADER} must be 1, 2 or 3, got ${describe(payload[6] ?? '')}`,
    );
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(payload)) return fail('payload contains control characters');
  if (payload.includes('\uFFFD'))
    return fail('payload contains undecodable characters (U+FFFD): it was not decoded correctly');
  const separator = payload[7];
  if (separator === undefined) return fail('payload has no fields after the header');
  if (/[\p{L}\p{N}\s=]/u.test(separator))
    return fail(
      `the header must be followed by a separator (not a letter, digit, space or "="), got ${describe(separator)}`,
    );

  const parts = payload.slice(8).split(separator);
  // A separator after the last field is harmless; an empty field anywhere else is not.
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const fields = new Map<string, string>();
  for (const [i, part] of parts.entries()) {
    const n = i + 1;
    if (part === '') return fail(`field ${n} is empty`);
    const eq = part.indexOf('=');
    if (eq < 0) return fail(`field ${n} is not Key=Value`);
    const key = part.slice(0, eq);
    if (!KEY.test(key)) return fail(`field ${n} has no valid key`);
    const lower = key.toLowerCase();
    if (fields.has(lower)) return fail(`field ${key} appears twice`);
    const value = part.slice(eq + 1);
    for (const [, inner] of value.matchAll(EMBEDDED_KEY)) {
      if (KNOWN_KEYS.has(inner.toLowerCase()))
        return fail(
          `field ${key} contains "${inner}=": fields must be separated by ${describe(separator)}`,
        );
    }
    fields.set(lower, value);
  }

  const required: Record<string, string> = {};
  for (const { key, valid, rule } of REQUIRED) {
    const value = fields.get(key.toLowerCase());
    if (value === undefined || value === '') return fail(`required field ${key} is missing`);
    if (!valid(value)) return fail(`${key} must be ${rule}`);
    required[key] = value;
  }
  const persAcc = fields.get('persacc') || null;
  if (persAcc !== null && !/^\d{10}$/.test(persAcc))
    return fail('PersAcc must be a 10-digit account number');
  const periodText = fields.get('paymperiod') || null;
  let paymPeriod: Period | null = null;
  if (periodText !== null) {
    const m = PERIOD.exec(periodText);
    const month = m ? Number(m[1]) : 0;
    const year = m ? Number(m[2]) : 0;
    if (month < 1 || month > 12 || year < FIRST_YEAR || year > LAST_YEAR)
      return fail('PaymPeriod must be a month as MMYYYY or MM.YYYY');
    paymPeriod = `${year}-${m?.[1]}`;
  }
  return {
    ok: true,
    value: {
      charset,
      separator,
      name: required.Name,
      personalAcc: required.PersonalAcc,
      bankName: required.BankName,
      bic: required.BIC,
      correspAcc: required.CorrespAcc,
      persAcc,
      paymPeriod,
    },
  };
}
