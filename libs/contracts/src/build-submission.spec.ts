import { buildSubmission, encodeSubmission, normaliseDecimal } from './build-submission';
import { submissionId } from './submission-id';
import { decodeSubmission } from './submission.message';

const draft = {
  channel: 'paper-slip' as const,
  sourceId: 'SC-01',
  sourceRef: 'S-000001/19-123456',
  accountNumber: '5001234567',
  meterSerial: '19-123456',
  values: [
    { zone: 'T1', value: ' 01234,5 ' },
    { zone: 'T2', value: '17' },
  ],
  readAt: '2026-11-20T10:15:00+03:00',
  receivedAt: '2026-11-20T11:00:00+03:00',
};

describe('normaliseDecimal', () => {
  it.each([
    ['01234,567', '01234.567'],
    ['01234.567', '01234.567'],
    [' 12 ', '12'],
    ['0', '0'],
  ])('%p -> %p', (input, expected) => {
    expect(normaliseDecimal(input)).toBe(expected);
  });
});

describe('buildSubmission', () => {
  it('builds the canonical message with its deterministic id and normalised values', () => {
    expect(buildSubmission(draft)).toEqual({
      schema: 'meter-reading-submitted/1',
      submissionId: submissionId(draft),
      channel: 'paper-slip',
      source: { id: 'SC-01', ref: 'S-000001/19-123456' },
      accountNumber: '5001234567',
      meterSerial: '19-123456',
      values: [
        { zone: 'T1', value: '01234.5' },
        { zone: 'T2', value: '17' },
      ],
      readAt: draft.readAt,
      receivedAt: draft.receivedAt,
      confidence: null,
    });
  });

  it('writes RFC 3339 timestamps in the form the processor decodes: T and Z, at most nine fraction digits', () => {
    const built = buildSubmission({
      ...draft,
      readAt: '2026-11-20t10:15:00.1234567890z',
      receivedAt: '2026-11-20t11:00:00+03:00',
    });
    expect(built).toMatchObject({
      readAt: '2026-11-20T10:15:00.123456789Z',
      receivedAt: '2026-11-20T11:00:00+03:00',
    });
    expect(decodeSubmission(Buffer.from(encodeSubmission(built).value)).ok).toBe(true);
  });

  it('keeps a recognition confidence', () => {
    expect(buildSubmission({ ...draft, confidence: 0.93 }).confidence).toBe(0.93);
  });
});

describe('encodeSubmission', () => {
  it('keys the record by account number and round-trips through the decoder', () => {
    const submission = buildSubmission(draft);
    const record = encodeSubmission(submission);
    expect(record.key).toBe('5001234567');
    expect(decodeSubmission(Buffer.from(record.value))).toEqual({ ok: true, value: submission });
  });
});
