import type { SubmissionMessage } from '@gw/contracts';

/**
 * Whether two requests' submissions name the same meters with the same values, in any order: a
 * request repeating an Idempotency-Key must repeat its readings too. The moments they were read
 * differ by when each request arrived and do not count.
 */
export function sameReadings(
  first: readonly SubmissionMessage[],
  repeat: readonly SubmissionMessage[],
): boolean {
  const readings = (submissions: readonly SubmissionMessage[]) =>
    submissions
      .map((s) => JSON.stringify([s.meterSerial, s.values]))
      .sort()
      .join('\n');
  return readings(first) === readings(repeat);
}
