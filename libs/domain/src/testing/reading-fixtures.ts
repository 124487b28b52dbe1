import { DEFAULT_DAILY_CEILINGS } from '../plausibility';
import type { MeterFacts, ReadingPolicy } from '../reading-decision';
import { DEFAULT_WINDOW_POLICY } from '../submission-window';

/** The rules with the defaults of domain.md. */
export function readingPolicy(overrides: Partial<ReadingPolicy> = {}): ReadingPolicy {
  return {
    window: DEFAULT_WINDOW_POLICY,
    ceilings: DEFAULT_DAILY_CEILINGS,
    confidenceThreshold: 0.9,
    futureToleranceMs: 5 * 60 * 1000,
    maxAgeMonths: 3,
    ...overrides,
  };
}

/** A cold-water meter (5 + 3 digits) on account 5001234567, verified until 2031. */
export function meterFacts(overrides: Partial<MeterFacts> = {}): MeterFacts {
  return {
    serial: '19-123456',
    accountNumber: '5001234567',
    resource: 'cold_water',
    zones: 1,
    integerDigits: 5,
    fractionDigits: 3,
    verificationDueOn: '2031-03-01',
    verifications: [],
    installedOn: '2025-03-01',
    decommissionedOn: null,
    ...overrides,
  };
}
