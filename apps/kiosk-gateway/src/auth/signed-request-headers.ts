import { KIOSK_HEADERS, KIOSK_ID_PATTERN } from '@gw/contracts';

export interface SignedRequestHeaders {
  kioskId: string;
  /** As sent: it is part of the signed string. */
  timestamp: string;
  nonce: string;
  signature: string;
  /**
   * The first instant at which this request is out of the clock window: its nonce must be
   * remembered until then.
   */
  replayableUntilMs: number;
}

export type HeaderCheck = { ok: true; value: SignedRequestHeaders } | { ok: false; error: string };

type Headers = Record<string, string | string[] | undefined>;

const TIMESTAMP = /^\d{1,12}$/;
const NONCE = /^[\x21-\x7e]{16,64}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

/**
 * Checks the authentication headers of a kiosk request (contract 7.1) and the clock window,
 * before any secret is looked up. Error messages name the header, never echo its value.
 */
export function checkSignedRequestHeaders(
  headers: Headers,
  nowMs: number,
  skewSeconds: number,
): HeaderCheck {
  const fail = (error: string): HeaderCheck => ({ ok: false, error });
  const one = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const kioskId = one(KIOSK_HEADERS.kioskId);
  const timestamp = one(KIOSK_HEADERS.timestamp);
  const nonce = one(KIOSK_HEADERS.nonce);
  const signature = one(KIOSK_HEADERS.signature);
  if (kioskId === undefined || !KIOSK_ID_PATTERN.test(kioskId))
    return fail('X-Kiosk-Id must be a kiosk id: 1 to 64 letters, digits, ".", "_" or "-"');
  if (timestamp === undefined || !TIMESTAMP.test(timestamp))
    return fail('X-Timestamp must be the Unix time in seconds');
  if (nonce === undefined || !NONCE.test(nonce))
    return fail('X-Nonce must be 16 to 64 printable ASCII characters without spaces');
  if (signature === undefined || !SIGNATURE.test(signature))
    return fail('X-Signature must be the lowercase hex HMAC-SHA256 (64 characters)');
  // Whole seconds, as X-Timestamp is: the window runs to the last millisecond of its last second.
  const sent = Number(timestamp);
  if (Math.abs(Math.floor(nowMs / 1000) - sent) > skewSeconds)
    return fail(`X-Timestamp is more than ${skewSeconds} s away from the server clock`);
  return {
    ok: true,
    value: {
      kioskId,
      timestamp,
      nonce,
      signature,
      replayableUntilMs: (sent + skewSeconds + 1) * 1000,
    },
  };
}
