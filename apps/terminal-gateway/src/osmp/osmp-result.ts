import { HttpException } from '@nestjs/common';
import { isDatabaseUnavailable } from '@gw/persistence';
import { BrokerUnavailableError, PasswordChecksBusyError } from '@gw/platform';
import { OsmpError } from './osmp-errors';

/** The `result` codes of contract section 7.2. */
export const OSMP_RESULT = {
  ok: 0,
  retryLater: 1,
  accountFormat: 4,
  accountNotFound: 5,
  refused: 7,
  other: 300,
} as const;

/** Why the provider refuses a request, and the result code each refusal is answered with. */
export const OSMP_ERROR_RESULT = {
  /** A parameter missing or malformed (txn_id, sum, txn_date, the command). */
  BAD_REQUEST: OSMP_RESULT.other,
  ACCOUNT_FORMAT: OSMP_RESULT.accountFormat,
  ACCOUNT_NOT_FOUND: OSMP_RESULT.accountNotFound,
  /** A reading failed the format checks; the comment says which. */
  READING_REFUSED: OSMP_RESULT.refused,
  /** A known txn_id repeated with different parameters. */
  TXN_REUSED: OSMP_RESULT.other,
  /** The same txn_id is being handled right now; the terminal retries. */
  TXN_IN_PROGRESS: OSMP_RESULT.retryLater,
  TXN_UNKNOWN: OSMP_RESULT.other,
} as const;

export type OsmpErrorCode = keyof typeof OSMP_ERROR_RESULT;

export interface OsmpFailure {
  result: number;
  comment: string;
  /** False for a bug: the caller logs it with a correlation id. */
  expected: boolean;
  /** The HTTP status of the XML answer; 200 unless the request itself could not be read. */
  httpStatus: number;
}

/**
 * The one mapping from errors to OSMP results. Kafka or PostgreSQL out of reach is result 1, so
 * the terminal retries; an error nobody anticipated is 300 and is logged.
 */
export function osmpFailure(error: unknown): OsmpFailure {
  if (error instanceof OsmpError)
    return {
      result: OSMP_ERROR_RESULT[error.code],
      comment: error.message,
      expected: true,
      httpStatus: 200,
    };
  if (
    error instanceof BrokerUnavailableError ||
    error instanceof PasswordChecksBusyError ||
    isDatabaseUnavailable(error)
  )
    return {
      result: OSMP_RESULT.retryLater,
      comment: 'temporarily unavailable, retry later',
      expected: true,
      httpStatus: 200,
    };
  // A body too large, in another charset, or with U+0000: refused before the protocol is read.
  if (error instanceof HttpException && error.getStatus() >= 400 && error.getStatus() < 500)
    return {
      result: OSMP_RESULT.other,
      comment: error.message,
      expected: true,
      httpStatus: error.getStatus(),
    };
  return { result: OSMP_RESULT.other, comment: 'internal error', expected: false, httpStatus: 200 };
}
