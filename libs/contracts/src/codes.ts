export const CHANNELS = [
  'cabinet',
  'payment-terminal',
  'kiosk',
  'paper-slip',
  'mosenergosbyt',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const ZONES = ['T1', 'T2', 'T3'] as const;
export type Zone = (typeof ZONES)[number];

export const RESOURCES = ['cold_water', 'hot_water', 'electricity', 'gas', 'heat'] as const;
export type Resource = (typeof RESOURCES)[number];

export const OUTCOME_STATUSES = ['accepted', 'rejected', 'needs_review', 'duplicate'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** Rejection codes (contract section 3). */
export const REJECTION_CODES = [
  'UNKNOWN_ACCOUNT',
  'UNKNOWN_METER',
  'METER_NOT_ON_ACCOUNT',
  'METER_DECOMMISSIONED',
  'VERIFICATION_EXPIRED',
  'ZONES_MISMATCH',
  'VALUE_FORMAT',
  'VALUE_DECREASED',
  'READ_IN_FUTURE',
  'READ_TOO_OLD',
  'VERIFICATION_FAILED',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** Codes that send a reading to an operator instead of deciding it. */
export const REVIEW_CODES = ['CONSUMPTION_SPIKE', 'LOW_CONFIDENCE', 'SUSPECTED_SWAP'] as const;
export type ReviewCode = (typeof REVIEW_CODES)[number];

export type ReasonCode = RejectionCode | ReviewCode;

export const WARNING_CODES = ['VERIFICATION_DUE_SOON', 'ROLLOVER', 'OUTSIDE_WINDOW'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];
