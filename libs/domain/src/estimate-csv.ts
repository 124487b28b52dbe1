import { CSV_SEPARATOR, csvField, type EstimateBasis, type Resource } from '@gw/contracts';
import type { ZoneVolume } from './estimate';

/** The billing export's header (docs/integrators.md): one estimate per line. */
export const ESTIMATE_CSV_COLUMNS = [
  'estimate_id',
  'account_number',
  'serial',
  'resource',
  'billing_period',
  'method',
  'consecutive',
  't1',
  't2',
  't3',
  'basis_from',
  'basis_to',
  'basis_periods',
  'coefficient',
  'decided_at',
  'superseded_by',
] as const;

/** The UTF-8 byte order mark the file starts with, so spreadsheet programs read it as UTF-8. */
export const CSV_BOM = '\uFEFF';

export interface EstimateCsvRow {
  estimateId: string;
  accountNumber: string;
  serial: string;
  resource: Resource;
  billingPeriod: string;
  method: string;
  consecutive: number;
  consumption: ZoneVolume[];
  basis: EstimateBasis | null;
  coefficient: number | null;
  /** RFC 3339 in Moscow time. */
  decidedAt: string;
  /** The submission id of the accepted reading that replaced the estimate, if any. */
  supersededBy: string | null;
}

/** One line of the export, ending in CRLF (RFC 4180); decimals with a dot, empty for none. */
export function estimateCsvLine(e: EstimateCsvRow): string {
  const zone = (z: string) => e.consumption.find((c) => c.zone === z)?.value ?? '';
  const fields = [
    e.estimateId,
    e.accountNumber,
    e.serial,
    e.resource,
    e.billingPeriod,
    e.method,
    String(e.consecutive),
    zone('T1'),
    zone('T2'),
    zone('T3'),
    e.basis?.from ?? '',
    e.basis?.to ?? '',
    e.basis ? String(e.basis.periods) : '',
    e.coefficient === null ? '' : String(e.coefficient),
    e.decidedAt,
    e.supersededBy ?? '',
  ];
  return `${fields.map(csvField).join(CSV_SEPARATOR)}\r\n`;
}

/** The header line, after the byte order mark. */
export function estimateCsvHeader(): string {
  return `${CSV_BOM}${ESTIMATE_CSV_COLUMNS.join(CSV_SEPARATOR)}\r\n`;
}
