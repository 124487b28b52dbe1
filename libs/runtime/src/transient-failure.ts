import { isDatabaseUnavailable, isLockConflict } from '@gw/persistence';
import { BrokerUnavailableError } from '@gw/platform';
import { KafkaJSError, KafkaJSNumberOfRetriesExceeded, KafkaJSTimeout } from 'kafkajs';

/**
 * Class 42 (undefined table or column, missing privilege) is a broken deployment, not a bad
 * message: dead-lettering would empty the topic into the DLQ, so it stalls and alerts instead.
 */
const BROKEN_DEPLOYMENT_SQLSTATE = /^42...$/;

/**
 * kafkajs marks a connection error, a request timeout or a missing broker retriable itself; these
 * it does not, though they too mean the broker did not answer in time (a lock timeout is a
 * KafkaJSTimeout).
 */
const KAFKA_UNREACHABLE = [KafkaJSNumberOfRetriesExceeded, KafkaJSTimeout];

/**
 * Whether a failed batch should be retried as it is (the database or the broker unreachable, a
 * timeout) rather than searched for the message that cannot be handled. Looks through `cause`
 * and TypeORM's `driverError`.
 */
export function isTransientFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  // Beyond an unavailable database (whose timeouts `isDatabaseUnavailable` counts), a deadlock
  // or serialization failure passes on its own too.
  if (
    isDatabaseUnavailable(error) ||
    isLockConflict(error) ||
    error instanceof BrokerUnavailableError
  )
    return true;
  if (error instanceof KafkaJSError)
    return error.retriable || KAFKA_UNREACHABLE.some((type) => error instanceof type);
  const e = error as { code?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && BROKEN_DEPLOYMENT_SQLSTATE.test(e.code)) return true;
  return [e.driverError, e.cause].some((inner) => isTransientFailure(inner, depth + 1));
}
