import { TOPICS } from '@gw/contracts';
import { dlqTopic, sinceInstant as since } from './dlq.commands';

describe('the options of dlq list and dlq replay', () => {
  it.each<[string, string]>([
    ['2026-12-05T09:00:00+03:00', '2026-12-05T06:00:00.000Z'],
    ['2026-12-05T06:00:00Z', '2026-12-05T06:00:00.000Z'],
    ['2026-12-05T06:00:00.250-01:30', '2026-12-05T07:30:00.250Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    // A date alone is a Moscow day, whatever the machine's time zone.
    ['2026-12-05', '2026-12-04T21:00:00.000Z'],
  ])('reads --since %s as %s', (value, instant) => {
    expect(since(value).toISOString()).toBe(instant);
  });

  it.each([
    '2026-02-30',
    '2026-02-30T00:00:00Z',
    '2026-12-05junk',
    '2026-12-05T09:00:00+03:00junk',
    '2026-12-05T06:00',
    '2026-12-05T06:00:00',
    '2026-12-05T06:00Z',
    '2026-12-05 06:00:00Z',
    '2026-12-5',
    '20261205',
    '1999-12-31',
    'yesterday',
    '',
  ])('refuses --since %p', (value) => {
    expect(() => since(value)).toThrow(/^must be an RFC 3339 timestamp with an offset/);
  });

  it.each([TOPICS.submitted, 'toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'refuses --topic %p',
    (topic) => {
      expect(() => dlqTopic(topic)).toThrow(
        `must be one of ${TOPICS.submittedDlq}, ${TOPICS.partnerReadingsDlq}`,
      );
    },
  );
});
