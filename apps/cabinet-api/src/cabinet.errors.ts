import { DomainError } from '@gw/platform';

export const CABINET_ERROR_STATUS = {
  /** The payment-document details do not match; deliberately silent about which field. */
  PAYMENT_DOCUMENT_MISMATCH: 422,
  CODE_INVALID: 422,
  CODE_EXPIRED: 422,
  CODE_ATTEMPTS_EXHAUSTED: 422,
  METER_NOT_ON_ACCOUNT: 422,
  /** One meter twice in a submission; the API's body check and the page's form refuse it first. */
  METER_REPEATED: 422,
  /** An Idempotency-Key repeated with other readings than its first request's. */
  IDEMPOTENCY_KEY_REUSED: 422,
  REGISTRATION_NOT_FOUND: 404,
  ACCOUNT_NOT_FOUND: 404,
  LINK_NOT_FOUND: 404,
  /** Only a link made after the resident's own may be revoked. */
  LINK_NOT_REVOCABLE: 403,
  /** The account's residents revoked this resident's link; it cannot be made again. */
  LINK_REVOKED: 403,
  TOO_MANY_ATTEMPTS: 429,
  TOO_MANY_CODES: 429,
  MAIL_UNAVAILABLE: 503,
} as const;

export type CabinetErrorCode = keyof typeof CABINET_ERROR_STATUS;

/** A failure of a cabinet use case; the cabinet's exception filter turns it into HTTP. */
export class CabinetError extends DomainError {
  constructor(
    override readonly code: CabinetErrorCode,
    message: string,
    /** For 429 and 503: when the client may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(code, message);
  }
}

export const linkRevoked = () =>
  new CabinetError(
    'LINK_REVOKED',
    "this account's residents removed your access to it; ask the settlement centre if that is wrong",
  );

/** One answer for every mismatch, so a guesser learns nothing about which field was wrong. */
export const paymentDocumentMismatch = () =>
  new CabinetError(
    'PAYMENT_DOCUMENT_MISMATCH',
    'the account number, period and amount do not match any of the last three payment documents',
  );
