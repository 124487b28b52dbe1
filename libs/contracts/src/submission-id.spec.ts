import { CHANNELS } from './codes';
import { submissionId, type SubmissionIdentity } from './submission-id';
import { validateSubmission } from './submission.message';

function identity(overrides: Partial<SubmissionIdentity> = {}): SubmissionIdentity {
  return {
    channel: 'kiosk',
    sourceId: 'K-0042',
    sourceRef: '77/3',
    meterSerial: '19-123456',
    ...overrides,
  };
}

/** Version 5 (name-based, SHA-1) with the RFC 9562 variant: `xxxxxxxx-xxxx-5xxx-[89ab]xxx-xxxxxxxxxxxx`. */
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('submissionId', () => {
  it('is deterministic', () => {
    expect(submissionId(identity())).toBe(submissionId(identity()));
  });

  it.each<[string, SubmissionIdentity, string]>([
    // Computed independently with Python's uuid.uuid5 over the JSON array name: the namespace
    // and the name encoding must never change, or retries would get new ids.
    ['kiosk item', identity(), '83fcef54-dbf9-5859-8e3b-358f85cd1a39'],
    [
      'paper slip row',
      identity({ channel: 'paper-slip', sourceId: 'SC-01', sourceRef: 'S-000001/19-123456' }),
      'beaa8513-d5c3-503e-aa54-a5f33e4cb2f8',
    ],
    // One per variant digit (8, 9, a, b): the digit is set from the hash's own bits.
    ['variant 8', identity({ sourceRef: '77/2' }), '29bc3421-6d88-5133-894c-7142bf083800'],
    ['variant 9', identity({ sourceRef: '77/1' }), '7510916c-fb5d-5729-964a-045abafa837b'],
    ['variant a', identity({ sourceRef: '77/0' }), 'da2e341a-8e2f-5c39-ac0e-242f97b4825e'],
    ['variant b', identity({ sourceRef: '77/7' }), '5a8e0ecd-59c5-5bdd-b8d1-05534b102c3f'],
  ])('matches RFC 9562 version 5 for a %s', (_name, input, expected) => {
    expect(submissionId(input)).toBe(expected);
  });

  it.each<[string, SubmissionIdentity]>([
    ['default', identity()],
    ...CHANNELS.map((channel): [string, SubmissionIdentity] => [channel, identity({ channel })]),
    ['empty strings', identity({ sourceId: '', sourceRef: '', meterSerial: '' })],
    ['Cyrillic', identity({ sourceRef: 'квитанция/1', meterSerial: 'ИПУ-7' })],
    ['long text', identity({ sourceRef: 'r'.repeat(10_000) })],
  ])('is a lower-case UUID v5 with the RFC variant (%s)', (_name, input) => {
    const id = submissionId(input);
    expect(id).toMatch(UUID_V5);
  });

  it('is accepted as a submissionId by the canonical message', () => {
    const result = validateSubmission({
      schema: 'meter-reading-submitted/1',
      submissionId: submissionId(identity()),
      channel: 'kiosk',
      source: { id: 'K-0042', ref: '77/3' },
      accountNumber: '5001234567',
      meterSerial: '19-123456',
      values: [{ zone: 'T1', value: '01234.567' }],
      readAt: '2026-11-20T10:15:00+03:00',
      receivedAt: '2026-11-20T10:15:02.311+03:00',
      confidence: null,
    });
    expect(result.ok).toBe(true);
  });

  it.each<[string, Partial<SubmissionIdentity>]>([
    ['channel', { channel: 'cabinet' }],
    ['sourceId', { sourceId: 'K-0043' }],
    ['sourceRef', { sourceRef: '77/4' }],
    ['meterSerial', { meterSerial: '19-123457' }],
    ['sourceId case', { sourceId: 'k-0042' }],
    ['sourceRef trailing space', { sourceRef: '77/3 ' }],
  ])('changes when %s differs', (_name, change) => {
    expect(submissionId(identity(change))).not.toBe(submissionId(identity()));
  });

  it.each<[string, Partial<SubmissionIdentity>, Partial<SubmissionIdentity>]>([
    ['sourceId/sourceRef', { sourceId: 'a', sourceRef: 'bc' }, { sourceId: 'ab', sourceRef: 'c' }],
    [
      'sourceRef/meterSerial',
      { sourceRef: 'a', meterSerial: 'bc' },
      { sourceRef: 'ab', meterSerial: 'c' },
    ],
    [
      'sourceId/sourceRef with a separator',
      { sourceId: 'a|b', sourceRef: 'c' },
      { sourceId: 'a', sourceRef: 'b|c' },
    ],
    [
      'sourceId/sourceRef with a slash',
      { sourceId: '77', sourceRef: '3/x' },
      { sourceId: '77/3', sourceRef: 'x' },
    ],
    [
      'quotes and commas',
      { sourceId: 'a","b', sourceRef: 'c' },
      { sourceId: 'a', sourceRef: 'b","c' },
    ],
    ['fields swapped', { sourceId: 'x', sourceRef: 'y' }, { sourceId: 'y', sourceRef: 'x' }],
    ['empty and non-empty', { sourceId: '', sourceRef: 'ab' }, { sourceId: 'ab', sourceRef: '' }],
  ])('no collision from field boundaries: %s', (_name, a, b) => {
    expect(submissionId(identity(a))).not.toBe(submissionId(identity(b)));
  });

  it('gives distinct ids over a batch of distinct identities', () => {
    const ids = new Set<string>();
    for (const channel of CHANNELS) {
      for (let seq = 1; seq <= 200; seq += 1) {
        ids.add(submissionId(identity({ channel, sourceRef: `77/${seq}` })));
      }
    }
    expect(ids.size).toBe(CHANNELS.length * 200);
  });
});
