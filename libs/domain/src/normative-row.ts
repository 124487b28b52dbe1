import { RESOURCES, type Resource } from '@gw/contracts';
import { formatUnits, toUnits } from './decimal';
import { ACCOUNT_NUMBER, type Parsed } from './registry-row';

/** The billing system's normative monthly volume of one resource for one account (contract section 10). */
export interface Normative {
  accountNumber: string;
  resource: Resource;
  /** Per-person normative times registered residents, e.g. "6.935". */
  monthlyVolume: string;
}

export const NORMATIVE_COLUMNS = ['account_number', 'resource', 'monthly_volume'] as const;

export type NormativeRecord = Partial<Record<(typeof NORMATIVE_COLUMNS)[number], string>>;

/** Validates one row of the normatives file; the error names the first column that is wrong. */
export function parseNormativeRecord(record: NormativeRecord): Parsed<Normative> {
  const get = (column: (typeof NORMATIVE_COLUMNS)[number]) => (record[column] ?? '').trim();
  const accountNumber = get('account_number');
  if (!ACCOUNT_NUMBER.test(accountNumber))
    return { ok: false, error: 'account_number must be 10 digits' };
  const resource = get('resource');
  if (!(RESOURCES as readonly string[]).includes(resource))
    return { ok: false, error: `resource must be one of ${RESOURCES.join(', ')}` };
  const units = toUnits(get('monthly_volume').replace(',', '.'));
  if (units === null || units >= 10n ** 14n * 10n ** 6n)
    return {
      ok: false,
      error:
        'monthly_volume must be a non-negative decimal with at most 6 digits after the point and 14 before',
    };
  return {
    ok: true,
    value: { accountNumber, resource: resource as Resource, monthlyVolume: formatUnits(units, 6) },
  };
}
