import { type DecidedOutcome, readingOutcome } from './reading-outcome';

const ACCEPTED: DecidedOutcome = {
  submissionId: '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
  status: 'accepted',
  reasons: [],
  warnings: ['OUTSIDE_WINDOW'],
  accountNumber: '5001234567',
  meterSerial: '19-123456',
  billingPeriod: '2026-11',
  consumption: [{ zone: 'T1', value: '12.500000' }],
  decidedAt: new Date('2026-11-20T07:15:02.311Z'),
};

describe('readingOutcome', () => {
  it.each<[string, DecidedOutcome, string]>([
    [
      'an accepted reading, its fields in the contract order',
      ACCEPTED,
      '{"schema":"meter-reading-outcome/1","submissionId":"0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11",' +
        '"status":"accepted","reasons":[],"warnings":["OUTSIDE_WINDOW"],"accountNumber":"5001234567",' +
        '"meterSerial":"19-123456","billingPeriod":"2026-11","consumption":[{"zone":"T1","value":"12.500000"}],' +
        '"decidedAt":"2026-11-20T10:15:02.311+03:00"}',
    ],
    [
      'a rejected reading without a period, decided after 21:00 UTC (the next Moscow day)',
      {
        ...ACCEPTED,
        status: 'rejected',
        reasons: ['UNKNOWN_METER'],
        warnings: [],
        billingPeriod: null,
        consumption: [],
        decidedAt: new Date('2026-11-30T21:30:00.000Z'),
      },
      '{"schema":"meter-reading-outcome/1","submissionId":"0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11",' +
        '"status":"rejected","reasons":["UNKNOWN_METER"],"warnings":[],"accountNumber":"5001234567",' +
        '"meterSerial":"19-123456","billingPeriod":null,"consumption":[],' +
        '"decidedAt":"2026-12-01T00:30:00.000+03:00"}',
    ],
  ])('%s', (_name, decided, json) => {
    expect(JSON.stringify(readingOutcome(decided))).toBe(json);
  });

  it('leaves out what is not part of the message', () => {
    const stored = { ...ACCEPTED, channel: 'kiosk', traceId: null };
    expect(Object.keys(readingOutcome(stored))).not.toContain('channel');
  });
});
