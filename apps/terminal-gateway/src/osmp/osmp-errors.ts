import { DomainError } from '@gw/platform';

/** Why the provider refuses a request; `osmpFailure` maps every code to a result code. */
export type OsmpErrorCode =
  | 'BAD_REQUEST'
  | 'ACCOUNT_FORMAT'
  | 'ACCOUNT_NOT_FOUND'
  | 'READING_REFUSED'
  | 'TXN_REUSED'
  | 'TXN_IN_PROGRESS'
  | 'TXN_UNKNOWN';

/** A refusal of the OSMP protocol; the message is the `comment` the terminal shows. */
export class OsmpError extends DomainError {
  constructor(
    override readonly code: OsmpErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
