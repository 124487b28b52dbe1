import { CabinetExceptionFilter } from './cabinet-exception.filter';
import { CABINET_ERROR_STATUS, CabinetError, type CabinetErrorCode } from './cabinet.errors';

/** The statuses contract section 7.3 and the cabinet's e2e tests rely on. */
const EXPECTED: [CabinetErrorCode, number, number | undefined, string | undefined][] = [
  ['PAYMENT_DOCUMENT_MISMATCH', 422, undefined, undefined],
  ['CODE_INVALID', 422, undefined, undefined],
  ['CODE_EXPIRED', 422, undefined, undefined],
  ['CODE_ATTEMPTS_EXHAUSTED', 422, undefined, undefined],
  ['METER_NOT_ON_ACCOUNT', 422, undefined, undefined],
  ['METER_REPEATED', 422, undefined, undefined],
  ['IDEMPOTENCY_KEY_REUSED', 422, undefined, undefined],
  ['REGISTRATION_NOT_FOUND', 404, undefined, undefined],
  ['ACCOUNT_NOT_FOUND', 404, undefined, undefined],
  ['LINK_NOT_FOUND', 404, undefined, undefined],
  ['LINK_NOT_REVOCABLE', 403, undefined, undefined],
  ['LINK_REVOKED', 403, undefined, undefined],
  ['TOO_MANY_ATTEMPTS', 429, 59.2, '60'],
  ['TOO_MANY_CODES', 429, 600, '600'],
  ['MAIL_UNAVAILABLE', 503, 0.2, '1'],
];

describe('CabinetExceptionFilter', () => {
  it('has a row here for every code', () => {
    expect(EXPECTED.map(([code]) => code).sort()).toEqual(Object.keys(CABINET_ERROR_STATUS).sort());
  });

  it.each(EXPECTED)('%s -> %s', (code, status, retryAfterSeconds, retryAfter) => {
    const error = new CabinetError(code, 'what went wrong', retryAfterSeconds);
    expect(new CabinetExceptionFilter().reply(error)).toEqual({
      status,
      ...(retryAfter !== undefined && { retryAfter }),
      body: { statusCode: status, error: code, message: 'what went wrong' },
    });
  });
});
