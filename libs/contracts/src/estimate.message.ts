import type { Zone } from './codes';
import { uuidV5 } from './uuid';

export const ESTIMATE_SCHEMA = 'meter-reading-estimate/1';

/** Fixed namespace of estimate ids (RFC 9562 version 5). Never change it. */
const ESTIMATE_NAMESPACE = Buffer.from('3d0c8a52f4e14b0f9a6e7b2d51c9e804', 'hex');

export const ESTIMATE_METHODS = ['average', 'normative', 'normative_raised', 'reading'] as const;
export type EstimateMethod = (typeof ESTIMATE_METHODS)[number];

/** The periods an average was taken over. */
export interface EstimateBasis {
  from: string;
  to: string;
  periods: number;
}

/** An estimate on `meter-readings.estimates.v1` (contract section 10), keyed by account. */
export interface EstimateMessage {
  schema: typeof ESTIMATE_SCHEMA;
  estimateId: string;
  accountNumber: string;
  meterSerial: string;
  billingPeriod: string;
  method: EstimateMethod;
  consecutive: number;
  consumption: { zone: Zone; value: string }[];
  basis: EstimateBasis | null;
  coefficient: number | null;
  supersedes: string | null;
  decidedAt: string;
}

/** The estimate of one meter for one period has one id, however often it is computed. */
export function estimateId(meterSerial: string, billingPeriod: string): string {
  return uuidV5(ESTIMATE_NAMESPACE, JSON.stringify([meterSerial, billingPeriod]));
}
