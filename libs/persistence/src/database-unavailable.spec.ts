import { isDatabaseUnavailable } from './database-unavailable';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED'), true],
    ['connection reset', withCode('ECONNRESET'), true],
    ['connect timeout', withCode('ETIMEDOUT'), true],
    ['SQLSTATE 08006 connection failure', withCode('08006'), true],
    ['SQLSTATE 53300 too many connections', withCode('53300'), true],
    ['SQLSTATE 57P01 admin shutdown', withCode('57P01'), true],
    ['SQLSTATE 57P03 cannot connect now', withCode('57P03'), true],
    ['broken connection', new Error('Connection terminated unexpectedly'), true],
    ['pool timeout', new Error('timeout exceeded when trying to connect'), true],
    [
      'TypeORM QueryFailedError around a broken connection',
      Object.assign(new Error('query failed'), {
        driverError: new Error('Connection terminated unexpectedly'),
      }),
      true,
    ],
    [
      'AggregateError of every address of the host',
      Object.assign(new AggregateError([withCode('ECONNREFUSED')], 'all failed'), {}),
      true,
    ],
    ['cause chain', new Error('outer', { cause: withCode('ECONNREFUSED') }), true],
    ['unique violation', withCode('23505'), false],
    ['syntax error', withCode('42601'), false],
    ['a bug', new TypeError('x is undefined'), false],
    ['not an error', 'ECONNREFUSED', false],
    ['null', null, false],
  ])('%s -> %s', (_name, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});
