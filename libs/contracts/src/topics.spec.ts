import { DLQ_HEADERS, TOPICS } from './topics';

/** Topic names and DLQ headers of contract section 2. */
describe('TOPICS', () => {
  it.each<[keyof typeof TOPICS, string]>([
    ['submitted', 'meter-readings.submitted.v1'],
    ['outcomes', 'meter-readings.outcomes.v1'],
    ['submittedDlq', 'meter-readings.submitted.v1.dlq'],
    ['partnerReadings', 'partner.mosenergosbyt.readings.v1'],
    ['partnerReadingsDlq', 'partner.mosenergosbyt.readings.v1.dlq'],
    ['partnerOutbound', 'partner.mosenergosbyt.outbound.v1'],
    ['verificationReminders', 'meter-verifications.reminders.v1'],
    ['estimates', 'meter-readings.estimates.v1'],
  ])('%s is %p', (key, topic) => {
    expect(TOPICS[key]).toBe(topic);
  });

  it('has no other topics', () => {
    expect(Object.keys(TOPICS)).toHaveLength(8);
  });

  it('dead letters carry x-error and x-error-reason', () => {
    expect(DLQ_HEADERS).toEqual({ error: 'x-error', reason: 'x-error-reason' });
  });
});
