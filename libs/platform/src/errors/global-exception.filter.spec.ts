import { BrokerUnavailableError, DatabaseUnavailableError, DomainError } from './domain.error';
import { outageOf } from './global-exception.filter';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
  code: 'ECONNREFUSED',
});
const isRefused = (error: unknown) => (error as { code?: string })?.code === 'ECONNREFUSED';

describe('outageOf', () => {
  it('passes a broker or database outage through as it is', () => {
    const broker = new BrokerUnavailableError('no acknowledgement within 10000 ms');
    const database = new DatabaseUnavailableError('not connected yet');
    expect(outageOf(broker, () => false)).toBe(broker);
    expect(outageOf(database, () => false)).toBe(database);
  });

  it('names a driver error the check recognises a database outage, without its details', () => {
    const outage = outageOf(refused, isRefused);
    expect(outage).toBeInstanceOf(DatabaseUnavailableError);
    expect(outage).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: 'database unavailable: retry later',
    });
  });

  it.each([
    ['a domain error', new DomainError('NOT_FOUND', 'no such meter')],
    ['a bug', new TypeError('x is undefined')],
    ['a driver error the check does not recognise', refused],
  ])('is null for %s', (_name, error) => {
    expect(outageOf(error, () => false)).toBeNull();
  });
});
