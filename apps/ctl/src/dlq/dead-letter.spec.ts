import { TOPICS } from '@gw/contracts';
import type { IHeaders } from 'kafkajs';
import { type DlqMessage, replayOf, viewDeadLetter } from './dead-letter';

const letter = (headers: IHeaders, value = '{"submissionId":"s-1"}'): DlqMessage => ({
  partition: 0,
  offset: '41',
  timestamp: String(Date.UTC(2026, 11, 5, 9, 0)),
  key: Buffer.from('5001234567'),
  value: Buffer.from(value),
  headers,
});

const ORIGIN = {
  'x-original-topic': TOPICS.submitted,
  'x-original-partition': '3',
  'x-original-offset': '1200',
};

describe('viewDeadLetter', () => {
  it.each<[string, string, Record<string, string>, { reason: string; detail: string }]>([
    [
      'an undecodable submission: the problem in x-error-reason',
      TOPICS.submittedDlq,
      {
        'x-error': 'UNDECODABLE',
        'x-error-reason': 'schema must be "meter-reading-submitted/1"',
        ...ORIGIN,
      },
      { reason: 'UNDECODABLE', detail: 'schema must be "meter-reading-submitted/1"' },
    ],
    [
      'a malformed partner message',
      TOPICS.partnerReadingsDlq,
      { 'x-error': 'MALFORMED', 'x-error-reason': 'lsMes is required' },
      { reason: 'MALFORMED', detail: 'lsMes is required' },
    ],
    [
      'a submission that could not be stored: the error in x-error',
      TOPICS.submittedDlq,
      { 'x-error': 'value out of range (code 22008)', 'x-error-reason': 'STORE_FAILED', ...ORIGIN },
      { reason: 'STORE_FAILED', detail: 'value out of range (code 22008)' },
    ],
    ['a letter without the headers', TOPICS.submittedDlq, {}, { reason: 'UNKNOWN', detail: '' }],
  ])('reads %s', (_, topic, headers, expected) => {
    expect(viewDeadLetter(topic, letter(headers))).toMatchObject(expected);
  });

  it('names where the letter came from, its key, its submission and when it was dead-lettered', () => {
    expect(
      viewDeadLetter(TOPICS.submittedDlq, letter({ 'x-error-reason': 'STORE_FAILED', ...ORIGIN })),
    ).toEqual({
      partition: 0,
      offset: '41',
      deadLetteredAt: '2026-12-05T09:00:00.000Z',
      reason: 'STORE_FAILED',
      detail: '',
      source: { topic: TOPICS.submitted, partition: 3, offset: '1200' },
      key: '5001234567',
      submissionId: 's-1',
      replayedFrom: null,
      originalOmitted: null,
    });
  });

  it('reads the headers as Kafka delivers them, in bytes, the first of a repeated one', () => {
    const bytes = (headers: Record<string, string | string[]>): IHeaders =>
      Object.fromEntries(
        Object.entries(headers).map(([name, v]) => [
          name,
          Array.isArray(v) ? v.map((one) => Buffer.from(one)) : Buffer.from(v),
        ]),
      );
    expect(
      viewDeadLetter(
        TOPICS.submittedDlq,
        letter(
          bytes({
            'x-error': 'UNDECODABLE',
            'x-error-reason': ['value is not valid JSON', 'a second value'],
            'x-replayed-from': `${TOPICS.submittedDlq}/0/7`,
            ...ORIGIN,
          }),
        ),
      ),
    ).toMatchObject({
      reason: 'UNDECODABLE',
      detail: 'value is not valid JSON',
      source: { topic: TOPICS.submitted, partition: 3, offset: '1200' },
      replayedFrom: `${TOPICS.submittedDlq}/0/7`,
      originalOmitted: null,
    });
  });

  it('says when the letter was sent without the original', () => {
    const omitted = 'the letter of 2000000 bytes was too large for the DLQ';
    expect(
      viewDeadLetter(
        TOPICS.submittedDlq,
        letter(
          { 'x-error': 'UNDECODABLE', 'x-original-omitted': Buffer.from(omitted), ...ORIGIN },
          '',
        ),
      ),
    ).toMatchObject({ reason: 'UNDECODABLE', originalOmitted: omitted, submissionId: null });
  });

  it('falls back on the topic the DLQ belongs to, and on no submission id for bytes that are not JSON', () => {
    expect(
      viewDeadLetter(TOPICS.partnerReadingsDlq, letter({ 'x-error': 'MALFORMED' }, 'not json')),
    ).toMatchObject({
      source: { topic: TOPICS.partnerReadings, partition: null, offset: null },
      submissionId: null,
    });
  });
});

describe('replayOf', () => {
  it('sends the original key, bytes and headers to the source topic, marked with the DLQ place', () => {
    const replay = replayOf(
      TOPICS.submittedDlq,
      letter({
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'x-error': 'UNDECODABLE',
        'x-error-reason': 'bad',
        'x-decided-by': 'reading-processor',
        'x-replayed-from': `${TOPICS.submittedDlq}/0/7`,
        ...ORIGIN,
      }),
    );
    expect(replay).toEqual({
      topic: TOPICS.submitted,
      key: Buffer.from('5001234567'),
      value: Buffer.from('{"submissionId":"s-1"}'),
      headers: {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'x-replayed-from': `${TOPICS.submittedDlq}/0/41`,
      },
    });
  });

  it('sends the original headers back byte for byte, a repeated one with every value, without the added ones', () => {
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]);
    const replay = replayOf(
      TOPICS.submittedDlq,
      letter({
        'x-bin': binary,
        'x-twice': [Buffer.from('first'), Buffer.from('second')],
        'x-error': Buffer.from('UNDECODABLE'),
        'x-error-reason': Buffer.from('bad'),
        'x-original-omitted': Buffer.from('left out'),
        ...ORIGIN,
      }),
    );
    expect(replay.headers).toEqual({
      'x-bin': binary,
      'x-twice': [Buffer.from('first'), Buffer.from('second')],
      'x-replayed-from': `${TOPICS.submittedDlq}/0/41`,
    });
  });

  it('sends a message that had no key without one, not with an empty key', () => {
    const keyless = {
      ...letter({ ...ORIGIN, 'x-original-topic': TOPICS.partnerReadings }),
      key: null,
    };
    expect(replayOf(TOPICS.partnerReadingsDlq, keyless)).toMatchObject({
      topic: TOPICS.partnerReadings,
      key: null,
    });
  });
});
