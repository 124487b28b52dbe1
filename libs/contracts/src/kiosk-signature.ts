import { createHash, createHmac } from 'node:crypto';

/** Request headers of the kiosk protocol (contract section 7.1). */
export const KIOSK_HEADERS = {
  kioskId: 'x-kiosk-id',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  signature: 'x-signature',
} as const;

/** Kiosk ids as `ctl kiosk add` accepts them and `X-Kiosk-Id` carries them. */
export const KIOSK_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export const KIOSK_PATHS = {
  readings: '/v1/kiosk/readings',
  submission: (submissionId: string) => `/v1/kiosk/submissions/${submissionId}`,
} as const;

/** Contract limits of one kiosk batch. */
export const KIOSK_LIMITS = {
  maxItems: 1000,
  maxBodyBytes: 1024 * 1024,
  /** A signed request is valid this long either side of the server clock; its nonce is remembered as long. */
  clockSkewSeconds: 300,
} as const;

export interface KioskRequestParts {
  /** Unix seconds, as sent in `X-Timestamp`. */
  timestamp: string;
  nonce: string;
  method: string;
  /** The request path without the query string. */
  path: string;
  /** The raw body exactly as sent (empty for a GET). */
  body: Buffer | string;
}

/** `"<timestamp>\n<nonce>\n<METHOD>\n<path>\n<hex sha256 of the raw body>"`: what a kiosk signs. */
export function kioskStringToSign({ timestamp, nonce, method, path, body }: KioskRequestParts) {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return `${timestamp}\n${nonce}\n${method.toUpperCase()}\n${path}\n${bodyHash}`;
}

/** Lowercase hex HMAC-SHA256 of the string to sign, with the kiosk's secret as the key. */
export function signKioskRequest(secret: string, parts: KioskRequestParts): string {
  return createHmac('sha256', secret).update(kioskStringToSign(parts)).digest('hex');
}
