import { DomainError } from '@gw/platform';

export const KIOSK_ERROR_STATUS = {
  /** Unknown kiosk, wrong signature, timestamp outside the window or nonce reused (contract 7.1). */
  NOT_AUTHENTICATED: 401,
  /** Over the kiosk's request rate; the kiosk retries after Retry-After. */
  RATE_LIMITED: 429,
  /** Kiosk secrets and nonces live in PostgreSQL: without it no request can be checked. */
  CREDENTIALS_UNAVAILABLE: 503,
  /** Not JSON, not a batch, or more than 1000 items. */
  BATCH_INVALID: 400,
  /** Not recorded by the processor yet, never submitted, or submitted by another kiosk. */
  SUBMISSION_NOT_FOUND: 404,
} as const;

export type KioskErrorCode = keyof typeof KIOSK_ERROR_STATUS;

/** A refusal of a kiosk request; KioskExceptionFilter answers it with its code's status. */
export class KioskError extends DomainError {
  constructor(
    override readonly code: KioskErrorCode,
    message: string,
    /** For 429 and 503: when the kiosk may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(code, message);
  }
}
