import { DomainError } from '@gw/platform';
import type { OsmpErrorCode } from './osmp-result';

/**
 * A refusal of the OSMP protocol; the message is the `comment` the terminal shows, and
 * OSMP_ERROR_RESULT gives its result code.
 */
export class OsmpError extends DomainError {
  constructor(
    override readonly code: OsmpErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
