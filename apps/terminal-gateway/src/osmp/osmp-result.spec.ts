import {
  BadRequestException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { BrokerUnavailableError, DomainError, PasswordChecksBusyError } from '@gw/platform';
import { OsmpError } from './osmp-errors';
import { OSMP_ERROR_RESULT, osmpFailure } from './osmp-result';

describe('osmpFailure', () => {
  it('has a row below for every refusal code', () => {
    expect(Object.keys(OSMP_ERROR_RESULT).sort()).toEqual([
      'ACCOUNT_FORMAT',
      'ACCOUNT_NOT_FOUND',
      'BAD_REQUEST',
      'READING_REFUSED',
      'TXN_IN_PROGRESS',
      'TXN_REUSED',
      'TXN_UNKNOWN',
    ]);
  });

  it.each([
    ['BAD_REQUEST', new OsmpError('BAD_REQUEST', 'sum is required'), 300, 'sum is required'],
    [
      'ACCOUNT_FORMAT',
      new OsmpError('ACCOUNT_FORMAT', 'account is required'),
      4,
      'account is required',
    ],
    [
      'ACCOUNT_NOT_FOUND',
      new OsmpError('ACCOUNT_NOT_FOUND', 'account not found'),
      5,
      'account not found',
    ],
    [
      'READING_REFUSED',
      new OsmpError('READING_REFUSED', 't1_1 "x" is not…'),
      7,
      't1_1 "x" is not…',
    ],
    ['TXN_REUSED', new OsmpError('TXN_REUSED', 'txn_id reused'), 300, 'txn_id reused'],
    ['TXN_IN_PROGRESS', new OsmpError('TXN_IN_PROGRESS', 'busy'), 1, 'busy'],
    ['TXN_UNKNOWN', new OsmpError('TXN_UNKNOWN', 'unknown txn_id'), 300, 'unknown txn_id'],
    [
      'Kafka unavailable',
      new BrokerUnavailableError('no acknowledgement within 1000 ms'),
      1,
      'temporarily unavailable, retry later',
    ],
    [
      'too many password checks at once',
      new PasswordChecksBusyError(),
      1,
      'temporarily unavailable, retry later',
    ],
    [
      'PostgreSQL refusing connections',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      1,
      'temporarily unavailable, retry later',
    ],
    [
      'a broken database connection',
      new Error('Connection terminated unexpectedly'),
      1,
      'temporarily unavailable, retry later',
    ],
  ])('%s -> result %s', (_name, error, result, comment) => {
    expect(osmpFailure(error)).toEqual({ result, comment, expected: true, httpStatus: 200 });
  });

  it.each([
    [new PayloadTooLargeException('the body is larger than 32768 bytes'), 413],
    [new UnsupportedMediaTypeException('charset "windows-1251" is not supported: send UTF-8'), 415],
    [new BadRequestException('query.account must not contain the character U+0000'), 400],
  ])('an unreadable request (%s) -> 300 with its HTTP status', (error, httpStatus) => {
    expect(osmpFailure(error)).toEqual({
      result: 300,
      comment: error.message,
      expected: true,
      httpStatus,
    });
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a domain error of another edge', new DomainError('SOMETHING', 'not ours')],
    ['a thrown string', 'oops'],
  ])('%s -> 300, logged as unexpected', (_name, error) => {
    expect(osmpFailure(error)).toEqual({
      result: 300,
      comment: 'internal error',
      expected: false,
      httpStatus: 200,
    });
  });
});
