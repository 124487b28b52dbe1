import { listedReading, type RecordedReading, submissionRecord } from './reading-record';

const READING: RecordedReading = {
  submissionId: '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11',
  channel: 'kiosk',
  sourceId: 'K-0001',
  accountNumber: '5001234567',
  meterSerial: '19-123456',
  resource: 'cold_water',
  status: 'accepted',
  reasons: [],
  warnings: ['OUTSIDE_WINDOW'],
  billingPeriod: '2026-11',
  values: [{ zone: 'T1', value: '00123.450' }],
  consumption: [{ zone: 'T1', value: '1.450000' }],
  confidence: null,
  readAt: new Date('2026-11-20T07:15:00.000Z'),
  receivedAt: new Date('2026-11-20T07:15:02.311Z'),
  decidedAt: new Date('2026-11-20T21:00:00.000Z'),
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
};

describe('views of a recorded reading', () => {
  it.each<[string, (reading: RecordedReading) => object, string]>([
    [
      'submissionRecord: contract section 6, without the source',
      submissionRecord,
      '{"submissionId":"0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11","channel":"kiosk","status":"accepted",' +
        '"reasons":[],"warnings":["OUTSIDE_WINDOW"],"accountNumber":"5001234567","meterSerial":"19-123456",' +
        '"billingPeriod":"2026-11","values":[{"zone":"T1","value":"00123.450"}],' +
        '"readAt":"2026-11-20T10:15:00.000+03:00","receivedAt":"2026-11-20T10:15:02.311+03:00",' +
        '"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}',
    ],
    [
      'listedReading: with the resource and the decision, decided on the next Moscow day',
      listedReading,
      '{"submissionId":"0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11","channel":"kiosk","meterSerial":"19-123456",' +
        '"resource":"cold_water","status":"accepted","reasons":[],"warnings":["OUTSIDE_WINDOW"],' +
        '"billingPeriod":"2026-11","values":[{"zone":"T1","value":"00123.450"}],' +
        '"consumption":[{"zone":"T1","value":"1.450000"}],"readAt":"2026-11-20T10:15:00.000+03:00",' +
        '"receivedAt":"2026-11-20T10:15:02.311+03:00","decidedAt":"2026-11-21T00:00:00.000+03:00"}',
    ],
  ])('%s', (_name, view, json) => {
    expect(JSON.stringify(view(READING))).toBe(json);
  });
});
