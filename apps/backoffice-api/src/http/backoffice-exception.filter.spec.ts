import {
  BACKOFFICE_ERROR_STATUS,
  type BackofficeError,
  ConcurrentChangeError,
  InvalidCredentialsError,
  InvalidRequestError,
  InvalidVerificationError,
  LoginThrottledError,
  NotClaimedError,
  NotFoundError,
  NotSwappableError,
  RevalidationFailedError,
  ReviewClaimedError,
  ReviewDecidedError,
  SessionEndedError,
  VerificationConflictError,
} from '../backoffice.errors';
import { WebFormError } from '../web/web-forms';
import { BackofficeExceptionFilter } from './backoffice-exception.filter';

const ID = '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11';

/** Every error of the back office and its answer, as contract section 6 and the e2e tests know them. */
const EXPECTED: [BackofficeError, number, Record<string, unknown>, string | undefined][] = [
  [new NotFoundError(`submission ${ID}`), 404, {}, undefined],
  [new InvalidCredentialsError(), 401, {}, undefined],
  [new LoginThrottledError(42), 429, {}, '42'],
  [new InvalidRequestError('from must not be after to'), 400, {}, undefined],
  [new WebFormError('comment must be 1 to 1000 characters'), 400, {}, undefined],
  [
    new ReviewClaimedError('ivanova', '2026-11-20T10:30:00.000+03:00'),
    409,
    { claimedBy: 'ivanova', claimedUntil: '2026-11-20T10:30:00.000+03:00' },
    undefined,
  ],
  [new ReviewDecidedError(ID), 409, {}, undefined],
  [new NotClaimedError(ID), 409, {}, undefined],
  [
    new RevalidationFailedError(['VALUE_FORMAT', 'READ_IN_FUTURE']),
    422,
    { reasons: ['VALUE_FORMAT', 'READ_IN_FUTURE'] },
    undefined,
  ],
  [new NotSwappableError('review item is not a suspected swap'), 422, {}, undefined],
  [new InvalidVerificationError('verifiedOn is in the future'), 422, {}, undefined],
  [new VerificationConflictError('a verification on 2026-03-01 is on file'), 409, {}, undefined],
  [new ConcurrentChangeError('the meter changed; retry'), 409, {}, undefined],
  [new SessionEndedError('ivanova'), 401, {}, undefined],
];

describe('BackofficeExceptionFilter', () => {
  it('has a row here for every code', () => {
    expect(EXPECTED.map(([error]) => error.code).sort()).toEqual(
      Object.keys(BACKOFFICE_ERROR_STATUS).sort(),
    );
  });

  it.each(EXPECTED)('%s -> %s', (error, status, extra, retryAfter) => {
    expect(new BackofficeExceptionFilter().reply(error)).toEqual({
      status,
      ...(retryAfter !== undefined && { retryAfter }),
      body: { statusCode: status, error: error.code, message: error.message, ...extra },
    });
  });

  it('names the meter a swapped value was judged on', () => {
    const error = new RevalidationFailedError(['VALUE_DECREASED'], '19-654321');
    expect(new BackofficeExceptionFilter().reply(error).body).toEqual({
      statusCode: 422,
      error: 'REVALIDATION_FAILED',
      message: 'the reading fails validation on meter 19-654321: VALUE_DECREASED',
      reasons: ['VALUE_DECREASED'],
      meterSerial: '19-654321',
    });
  });
});
