import { auditCsv, queueCsv, statsCsv } from './csv-exports';

const lines = (csv: string) => csv.slice(1).split('\r\n');

describe('CSV exports', () => {
  it('writes a queue item in Russian, the values as text', () => {
    const [header, row] = lines(
      queueCsv([
        {
          submissionId: '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
          channel: 'paper-slip',
          status: 'needs_review',
          reasons: ['LOW_CONFIDENCE'],
          warnings: [],
          accountNumber: '5001234567',
          meterSerial: '19-123456',
          billingPeriod: '2026-11',
          values: [{ zone: 'T1', value: '00110.500' }],
          consumption: [{ zone: 'T1', value: '10.500' }],
          confidence: 0.62,
          readAt: '2026-11-20T10:00:00.000+03:00',
          receivedAt: '2026-11-20T10:15:02.311+03:00',
          claim: { by: 'ivanova', until: '2026-11-20T10:30:00.000+03:00' },
        },
      ]),
    );
    expect(header.split(';')).toHaveLength(10);
    expect(row).toBe(
      '20.11.2026 10:15;Бумажные квитанции;5001234567;19-123456;ноябрь 2026;T1: 00110.500;T1: 10.500;' +
        'низкая уверенность распознавания (LOW_CONFIDENCE);ivanova;0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
    );
  });

  it.each([
    [
      'an approval with a comment that looks like a formula',
      { action: 'review.approve', after: { comment: '=1+1' }, before: null },
      '20.11.2026 10:15:02;ivanova;оператор;принятие показания;review:x;;"{""comment"":""=1+1""}";7',
    ],
    [
      'an action of the command line, by its code',
      { action: 'operator.disable', after: null, before: { disabled: false } },
      '20.11.2026 10:15:02;ivanova;оператор;operator.disable;review:x;"{""disabled"":false}";;7',
    ],
  ])('writes an audit entry: %s', (_name, entry, expected) => {
    const [, row] = lines(
      auditCsv([
        {
          id: '7',
          at: '2026-11-20T10:15:02.311+03:00',
          login: 'ivanova',
          role: 'operator',
          subject: 'review:x',
          ...entry,
        },
      ]),
    );
    expect(row).toBe(expected);
  });

  it('writes statistics per day and channel, then the totals of the range', () => {
    // Reasons by code, in one field, quoted for its commas.
    const reasons =
      '"резкий рост расхода (CONSUMPTION_SPIKE): 1, неверный формат показания (VALUE_FORMAT): 1"';
    const counts = {
      channel: 'kiosk',
      received: 3,
      accepted: 1,
      duplicate: 0,
      rejected: 2,
      rejectedByReason: { VALUE_FORMAT: 1, CONSUMPTION_SPIKE: 1 },
      inReview: 0,
    };
    expect(
      lines(
        statsCsv({
          from: '2026-11-01',
          to: '2026-11-01',
          days: [{ ...counts, date: '2026-11-01' }],
          totals: [counts],
        }),
      ).slice(1),
    ).toEqual([
      `01.11.2026;Киоски;3;1;0;2;0;${reasons}`,
      `01.11.2026–01.11.2026;Киоски;3;1;0;2;0;${reasons}`,
      '',
    ]);
  });
});
