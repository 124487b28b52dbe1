import { domainErrorFilter } from './domain-error.filter';
import { DomainError } from './domain.error';
import { recordingHttpHost } from '../testing/recording-http-host';

class ParcelError extends DomainError {
  constructor(
    override readonly code: 'PARCEL_LOST' | 'DEPOT_BUSY',
    message: string,
  ) {
    super(code, message);
  }
}

const ParcelFilter = domainErrorFilter(
  ParcelError,
  { PARCEL_LOST: 404, DEPOT_BUSY: 503 },
  (error) => (error.code === 'DEPOT_BUSY' ? { retryAfterSeconds: 2.2, extra: { depot: 7 } } : {}),
);

// @ts-expect-error a code without a status fails to compile
domainErrorFilter(ParcelError, { PARCEL_LOST: 404 });
// @ts-expect-error an error class whose code is any string has no union to be exhaustive over
domainErrorFilter(DomainError, { PARCEL_LOST: 404 });

describe('domainErrorFilter', () => {
  it.each([
    [
      'a code with its status',
      new ParcelError('PARCEL_LOST', 'parcel P-1 not found'),
      {
        status: 404,
        body: { statusCode: 404, error: 'PARCEL_LOST', message: 'parcel P-1 not found' },
      },
    ],
    [
      'Retry-After rounded up to whole seconds, and the extra fields',
      new ParcelError('DEPOT_BUSY', 'the depot is busy'),
      {
        status: 503,
        retryAfter: '3',
        body: { statusCode: 503, error: 'DEPOT_BUSY', message: 'the depot is busy', depot: 7 },
      },
    ],
  ])('replies to %s', (_name, error, expected) => {
    expect(new ParcelFilter().reply(error)).toEqual(expected);
  });

  it('writes the reply', () => {
    const { host, written } = recordingHttpHost();
    new ParcelFilter().catch(new ParcelError('DEPOT_BUSY', 'the depot is busy'), host);
    expect(written).toEqual({
      status: 503,
      headers: { 'Retry-After': '3' },
      body: { statusCode: 503, error: 'DEPOT_BUSY', message: 'the depot is busy', depot: 7 },
    });
  });

  it.each([
    ['the answer has started', { headersSent: true }],
    ['the client has gone', { destroyed: true }],
  ])('writes nothing once %s', (_name, state) => {
    const { host, written } = recordingHttpHost({}, state);
    new ParcelFilter().catch(new ParcelError('PARCEL_LOST', 'parcel P-1 not found'), host);
    expect(written).toEqual({ headers: {} });
  });
});
