import { DatabaseUnavailableError } from '@gw/platform';

/** Socket errors of a database that cannot be reached. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * SQLSTATEs of a server that cannot serve now: the classes connection exception (08), insufficient
 * resources (53) and operator intervention (57P..), plus a statement cancelled by
 * `statement_timeout` (57014) and a lock not granted within `lock_timeout` (55P03). A timed-out
 * statement is a server too busy or a lock held too long; the same request a little later succeeds.
 */
const UNAVAILABLE_SQLSTATE = /^(08...|53...|57P..|57014|55P03)$/;

/**
 * What node-postgres says when a connection breaks, cannot be opened in time, the pool has none to
 * give, or the server has not answered within `query_timeout` (a frozen server).
 */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Query read timeout/i;

/**
 * Whether an error means PostgreSQL is unreachable (so the caller should be told to retry later)
 * rather than that a query is wrong. Looks through TypeORM's `driverError`, `cause` and the
 * `errors` of an AggregateError (Node tries every address of a host).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  if (error instanceof DatabaseUnavailableError) return true;
  const e = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (
    typeof e.code === 'string' &&
    (NETWORK_CODES.has(e.code) || UNAVAILABLE_SQLSTATE.test(e.code))
  )
    return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  const nested = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
