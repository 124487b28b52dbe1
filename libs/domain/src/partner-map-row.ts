import { ACCOUNT_NUMBER, METER_SERIAL, type Parsed } from './registry-row';

/** Partner account and meter numbers: 1 to 32 printable ASCII characters, no spaces. */
export const PARTNER_ID = /^[\x21-\x7e]{1,32}$/;

/** One row of the Mosenergosbyt cross-reference: the partner's ids and ours for one meter. */
export interface PartnerMapping {
  partnerAccount: string;
  partnerMeter: string;
  accountNumber: string;
  serial: string;
}

export const PARTNER_MAP_COLUMNS = [
  'partner_account',
  'partner_meter',
  'account_number',
  'serial',
] as const;

export type PartnerMapRecord = Partial<Record<(typeof PARTNER_MAP_COLUMNS)[number], string>>;

/** Validates one cross-reference row (contract section 4); the error names the first wrong column. */
export function parsePartnerMapRecord(record: PartnerMapRecord): Parsed<PartnerMapping> {
  const get = (column: (typeof PARTNER_MAP_COLUMNS)[number]) => (record[column] ?? '').trim();
  const partnerAccount = get('partner_account');
  if (!PARTNER_ID.test(partnerAccount))
    return { ok: false, error: 'partner_account must be 1 to 32 printable characters, no spaces' };
  const partnerMeter = get('partner_meter');
  if (!PARTNER_ID.test(partnerMeter))
    return { ok: false, error: 'partner_meter must be 1 to 32 printable characters, no spaces' };
  const accountNumber = get('account_number');
  if (!ACCOUNT_NUMBER.test(accountNumber))
    return { ok: false, error: 'account_number must be 10 digits' };
  const serial = get('serial');
  if (!METER_SERIAL.test(serial))
    return { ok: false, error: 'serial must be 1 to 32 printable characters' };
  return { ok: true, value: { partnerAccount, partnerMeter, accountNumber, serial } };
}
