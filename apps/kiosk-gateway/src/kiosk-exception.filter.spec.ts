import { KioskExceptionFilter } from './kiosk-exception.filter';
import { KIOSK_ERROR_STATUS, KioskError, type KioskErrorCode } from './kiosk.errors';

/** The statuses of contract section 7.1, with the reason phrase kiosks read in `error`. */
const EXPECTED: [KioskErrorCode, number, string, number | undefined, string | undefined][] = [
  ['NOT_AUTHENTICATED', 401, 'Unauthorized', undefined, undefined],
  ['RATE_LIMITED', 429, 'Too Many Requests', 3, '3'],
  ['CREDENTIALS_UNAVAILABLE', 503, 'Service Unavailable', 5, '5'],
  ['BATCH_INVALID', 400, 'Bad Request', undefined, undefined],
  ['SUBMISSION_NOT_FOUND', 404, 'Not Found', undefined, undefined],
];

describe('KioskExceptionFilter', () => {
  it('has a row here for every code', () => {
    expect(EXPECTED.map(([code]) => code).sort()).toEqual(Object.keys(KIOSK_ERROR_STATUS).sort());
  });

  it.each(EXPECTED)('%s -> %s %s', (code, status, phrase, retryAfterSeconds, retryAfter) => {
    const error = new KioskError(code, 'what went wrong', retryAfterSeconds);
    expect(new KioskExceptionFilter().reply(error)).toEqual({
      status,
      ...(retryAfter !== undefined && { retryAfter }),
      body: { statusCode: status, error: phrase, message: 'what went wrong' },
    });
  });
});
