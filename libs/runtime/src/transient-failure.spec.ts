import { BrokerUnavailableError } from '@gw/platform';
import {
  KafkaJSBrokerNotFound,
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSLockTimeout,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import { isTransientFailure } from './transient-failure';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });
const queryFailed = (driverError: Error) =>
  Object.assign(new Error(driverError.message), { driverError });

describe('isTransientFailure', () => {
  it.each([
    ['database refused the connection', withCode('ECONNREFUSED'), true],
    ['database connection dropped', new Error('Connection terminated unexpectedly'), true],
    ['admin shutdown 57P01', queryFailed(withCode('57P01')), true],
    ['statement timeout 57014', queryFailed(withCode('57014', 'canceling statement')), true],
    ['lock timeout 55P03', queryFailed(withCode('55P03', 'lock not available')), true],
    ['serialization failure 40001', withCode('40001'), true],
    ['deadlock 40P01', queryFailed(withCode('40P01', 'deadlock detected')), true],
    ['undefined column 42703: a broken deployment', queryFailed(withCode('42703')), true],
    ['broker did not acknowledge', new BrokerUnavailableError('no acknowledgement'), true],
    ['retriable kafkajs error', new KafkaJSError('leader not available'), true],
    ['kafkajs connection error', new KafkaJSConnectionError('Connection error'), true],
    ['kafkajs request timeout', new KafkaJSRequestTimeoutError('Request timed out'), true],
    [
      'kafkajs broker not found',
      Reflect.construct(KafkaJSBrokerNotFound, ['No brokers in the broker pool']),
      true,
    ],
    [
      'kafkajs lock timeout',
      Reflect.construct(KafkaJSLockTimeout, ['Timeout while acquiring lock']),
      true,
    ],
    [
      'kafkajs retries exhausted',
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSError('x'), { retryCount: 5, retryTime: 1 }),
      true,
    ],
    ['in a cause chain', new Error('outer', { cause: withCode('57014') }), true],
    ['datetime out of range 22008', queryFailed(withCode('22008', 'out of range')), false],
    ['raised by a trigger P0001', queryFailed(withCode('P0001', 'refused')), false],
    ['check violation 23514', queryFailed(withCode('23514')), false],
    ['string too long 22001', withCode('22001'), false],
    ['non-retriable kafkajs error', new KafkaJSNonRetriableError('message too large'), false],
    [
      'non-retriable protocol error',
      new KafkaJSProtocolError({ message: 'too large', retriable: false } as never),
      false,
    ],
    ['a bug', new TypeError('x is undefined'), false],
    ['not an error', '57014', false],
    ['null', null, false],
  ])('%s -> %s', (_name, error, expected) => {
    expect(isTransientFailure(error)).toBe(expected);
  });
});
