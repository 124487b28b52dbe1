import { RESOURCES, type Resource, startsAsFormula } from '@gw/contracts';
import { isValidDate, type IsoDate } from './moscow-time';
import { readRegister } from './register';
import { VERIFICATION_INTERVAL_MONTHS, verificationDueOn } from './verification';

/** One meter of the billing system's registry (contract section 4), validated. */
export interface RegistryMeter {
  accountNumber: string;
  serial: string;
  resource: Resource;
  zones: number;
  integerDigits: number;
  fractionDigits: number;
  installedOn: IsoDate;
  verifiedOn: IsoDate;
  verificationIntervalMonths: number;
  verificationDueOn: IsoDate;
  decommissionedOn: IsoDate | null;
  initial: [string | null, string | null, string | null];
  initialOn: IsoDate | null;
  /**
   * The type's number in the Federal register of approved types, when the registry has it;
   * `undefined` from a file without the `type_number` column, which says nothing of it.
   */
  typeNumber: string | null | undefined;
}

export const REGISTRY_COLUMNS = [
  'account_number',
  'serial',
  'resource',
  'zones',
  'integer_digits',
  'fraction_digits',
  'installed_on',
  'verified_on',
  'verification_interval_months',
  'decommissioned_on',
  'initial_t1',
  'initial_t2',
  'initial_t3',
  'initial_on',
] as const;

/** The optional last column (contract sections 4 and 8): files without it still import. */
export const REGISTRY_OPTIONAL_COLUMNS = ['type_number'] as const;

export type RegistryRecord = Partial<
  Record<(typeof REGISTRY_COLUMNS | typeof REGISTRY_OPTIONAL_COLUMNS)[number], string>
>;

/** A type registration number as Arshin writes it (`mit_number`), e.g. 32636-06. */
export const TYPE_NUMBER = /^\d{1,6}-\d{2}$/;

export const ACCOUNT_NUMBER = /^\d{10}$/;
/** Printable characters without spaces at the ends, 1 to 32 of them. */
export const METER_SERIAL = /^[\x21-\x7e](?:[\x20-\x7e]{0,30}[\x21-\x7e])?$/;

const integerIn = (text: string | undefined, min: number, max: number): number | null => {
  if (!text || !/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Validates one registry row; the error names the first column that is wrong. Given `today` (the
 * Moscow date of an import), a verification dated after it is refused, as the back office refuses
 * one: it would be in force nowhere yet while the meter's due date already counted from it.
 */
export function parseRegistryRecord(
  record: RegistryRecord,
  today?: IsoDate,
): Parsed<RegistryMeter> {
  const fail = (error: string): Parsed<RegistryMeter> => ({ ok: false, error });
  const get = (column: keyof RegistryRecord) => (record[column] ?? '').trim();
  const accountNumber = get('account_number');
  if (!ACCOUNT_NUMBER.test(accountNumber)) return fail('account_number must be 10 digits');
  const serial = get('serial');
  if (!METER_SERIAL.test(serial)) return fail('serial must be 1 to 32 printable characters');
  // The serial goes into the billing system's CSV files, which spreadsheets open too.
  if (startsAsFormula(serial))
    return fail(
      'serial must not start with =, +, - or @ (a spreadsheet would run it as a formula)',
    );
  const resource = get('resource') as Resource;
  if (!RESOURCES.includes(resource)) return fail(`resource must be one of ${RESOURCES.join(', ')}`);
  const zones = integerIn(get('zones'), 1, 3);
  if (zones === null) return fail('zones must be 1, 2 or 3');
  if (resource !== 'electricity' && zones !== 1)
    return fail('only electricity meters have more than one zone');
  const integerDigits = integerIn(get('integer_digits'), 1, 12);
  if (integerDigits === null) return fail('integer_digits must be from 1 to 12');
  const fractionDigits = integerIn(get('fraction_digits'), 0, 6);
  if (fractionDigits === null) return fail('fraction_digits must be from 0 to 6');
  const dates: Record<string, string> = {};
  for (const column of ['installed_on', 'verified_on'] as const) {
    const text = get(column);
    if (!isValidDate(text)) return fail(`${column} must be a date YYYY-MM-DD`);
    dates[column] = text;
  }
  if (today !== undefined && dates.verified_on > today)
    return fail(`verified_on must not be after today (${today})`);
  const { min, max } = VERIFICATION_INTERVAL_MONTHS;
  const interval = integerIn(get('verification_interval_months'), min, max);
  if (interval === null) return fail(`verification_interval_months must be from ${min} to ${max}`);
  const optionalDate = (column: 'decommissioned_on' | 'initial_on'): string | null | undefined => {
    const text = get(column);
    if (text === '') return null;
    return isValidDate(text) ? text : undefined;
  };
  const decommissionedOn = optionalDate('decommissioned_on');
  if (decommissionedOn === undefined)
    return fail('decommissioned_on must be empty or a date YYYY-MM-DD');
  if (decommissionedOn !== null && decommissionedOn < dates.installed_on)
    return fail('decommissioned_on must not be before installed_on');
  const initialOn = optionalDate('initial_on');
  if (initialOn === undefined) return fail('initial_on must be empty or a date YYYY-MM-DD');
  const initial: RegistryMeter['initial'] = [null, null, null];
  for (const [i, column] of (['initial_t1', 'initial_t2', 'initial_t3'] as const).entries()) {
    const text = get(column);
    if (text === '') {
      if (initialOn !== null && i < zones)
        return fail(`${column} is required when initial_on is given`);
      continue;
    }
    if (i >= zones) return fail(`${column} given for a meter with ${zones} zone(s)`);
    if (readRegister(text, { integerDigits, fractionDigits }) === null) {
      return fail(
        `${column} must be a decimal that fits ${integerDigits}+${fractionDigits} register digits`,
      );
    }
    initial[i] = text;
  }
  if (initial.some((value) => value !== null) && initialOn === null)
    return fail('initial_on is required when initial values are given');
  const typeNumber = record.type_number === undefined ? undefined : get('type_number');
  if (typeNumber && !TYPE_NUMBER.test(typeNumber))
    return fail('type_number must be empty or a type registration number such as 32636-06');
  return {
    ok: true,
    value: {
      accountNumber,
      serial,
      resource,
      zones,
      integerDigits,
      fractionDigits,
      installedOn: dates.installed_on,
      verifiedOn: dates.verified_on,
      verificationIntervalMonths: interval,
      verificationDueOn: verificationDueOn(dates.verified_on, interval),
      decommissionedOn,
      initial,
      initialOn,
      typeNumber: typeNumber === '' ? null : typeNumber,
    },
  };
}
