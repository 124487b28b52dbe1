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
    [
      'SQLSTATE 57014 statement_timeout',
      withCode('57014', 'canceling statement due to statement timeout'),
      true,
    ],
    [
      'SQLSTATE 55P03 lock_timeout',
      withCode('55P03', 'canceling statement due to lock timeout'),
      true,
    ],
    ['client-side query_timeout (a frozen server)', new Error('Query read timeout'), true],
    [
      'connect timeout of a server that accepts but does not answer',
      new Error('Connection terminated due to connection timeout'),
      true,
    ],
    [
      'TypeORM QueryFailedError around a statement timeout',
      Object.assign(new Error('canceling statement due to statement timeout'), {
        driverError: withCode('57014'),
      }),
      true,
    ],
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
    ['serialization failure is for the caller to retry', withCode('40001'), false],
    ['SQLSTATE 57000 is not one of the timeouts', withCode('57000'), false],
    ['SQLSTATE 55000 object not in prerequisite state', withCode('55000'), false],
    ['a longer code is not a SQLSTATE', withCode('080061'), false],
    ['syntax error', withCode('42601'), false],
    ['a bug', new TypeError('x is undefined'), false],
    ['not an error', 'ECONNREFUSED', false],
    ['null', null, false],
  ])('%s -> %s', (_name, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});
