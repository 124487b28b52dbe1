/** Kafka topics of contract section 2. Keys are account numbers (partner accounts for partner topics). */
export const TOPICS = {
  submitted: 'meter-readings.submitted.v1',
  outcomes: 'meter-readings.outcomes.v1',
  submittedDlq: 'meter-readings.submitted.v1.dlq',
  partnerReadings: 'partner.mosenergosbyt.readings.v1',
  partnerReadingsDlq: 'partner.mosenergosbyt.readings.v1.dlq',
  partnerOutbound: 'partner.mosenergosbyt.outbound.v1',
  verificationReminders: 'meter-verifications.reminders.v1',
  estimates: 'meter-readings.estimates.v1',
} as const;

/** Headers a dead-lettered message carries next to its original bytes. */
export const DLQ_HEADERS = { error: 'x-error', reason: 'x-error-reason' } as const;

/** Header on each outcome naming the processor's consumer group that decided it. */
export const DECIDED_BY_HEADER = 'x-decided-by';
