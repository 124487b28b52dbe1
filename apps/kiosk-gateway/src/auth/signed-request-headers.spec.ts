import { checkSignedRequestHeaders } from './signed-request-headers';

const NOW = 1_764_072_000_000;
const SIGNATURE = 'b407aafc90044edf4af4ccdb77fcf64c3ec4cb5e759476b1ae25a1fd7e73520d';
const valid = {
  'x-kiosk-id': 'K-0042',
  'x-timestamp': String(NOW / 1000),
  'x-nonce': 'abcdefghijklmnop',
  'x-signature': SIGNATURE,
};

describe('checkSignedRequestHeaders', () => {
  it('accepts well-formed headers and says how long the nonce must be remembered', () => {
    expect(checkSignedRequestHeaders(valid, NOW, 300)).toEqual({
      ok: true,
      value: {
        kioskId: 'K-0042',
        timestamp: String(NOW / 1000),
        nonce: 'abcdefghijklmnop',
        signature: SIGNATURE,
        replayableUntilMs: NOW + 301_000,
      },
    });
  });

  // The window is in whole seconds, as X-Timestamp is: 300 s either side of the server's second.
  it.each<[string, boolean, number]>([
    ['300 s behind the timestamp, at its first millisecond', true, NOW - 300_000],
    ['301 s behind the timestamp, at its last millisecond', false, NOW - 300_001],
    ['300 s ahead of the timestamp, at its last millisecond', true, NOW + 300_999],
    ['301 s ahead of the timestamp, at its first millisecond', false, NOW + 301_000],
  ])('with the server clock %s, in the window: %s', (_name, ok, nowMs) => {
    const check = checkSignedRequestHeaders(valid, nowMs, 300);
    expect(check.ok).toBe(ok);
    // The nonce outlives the last millisecond at which the timestamp is accepted.
    if (check.ok) expect(check.value.replayableUntilMs).toBe(NOW + 301_000);
    else expect(check.error).toContain('more than 300 s');
  });

  it.each<[string, Record<string, string | undefined>, number]>([
    ['a timestamp 300 s behind', { 'x-timestamp': String(NOW / 1000 - 300) }, NOW + 1_000],
    ['a timestamp 300 s ahead', { 'x-timestamp': String(NOW / 1000 + 300) }, NOW + 601_000],
    ['a 16-character nonce', { 'x-nonce': 'a'.repeat(16) }, NOW + 301_000],
    ['a 64-character nonce', { 'x-nonce': `${'a'.repeat(62)}~!` }, NOW + 301_000],
    ['a kiosk id of 64 characters', { 'x-kiosk-id': 'k'.repeat(64) }, NOW + 301_000],
  ])('accepts %s', (_name, change, replayableUntilMs) => {
    const check = checkSignedRequestHeaders({ ...valid, ...change }, NOW, 300);
    expect(check).toMatchObject({ ok: true, value: { replayableUntilMs } });
  });

  it.each<[string, Record<string, string | string[] | undefined>, string]>([
    ['no kiosk id', { 'x-kiosk-id': undefined }, 'X-Kiosk-Id'],
    ['a kiosk id with a space', { 'x-kiosk-id': 'K 42' }, 'X-Kiosk-Id'],
    ['a kiosk id of 65 characters', { 'x-kiosk-id': 'k'.repeat(65) }, 'X-Kiosk-Id'],
    ['a repeated kiosk id header', { 'x-kiosk-id': ['K-1', 'K-2'] }, 'X-Kiosk-Id'],
    ['no timestamp', { 'x-timestamp': undefined }, 'X-Timestamp must be'],
    ['a timestamp in milliseconds', { 'x-timestamp': String(NOW) }, 'X-Timestamp must be'],
    ['an ISO timestamp', { 'x-timestamp': '2025-11-25T12:00:00Z' }, 'X-Timestamp must be'],
    ['a negative timestamp', { 'x-timestamp': '-1' }, 'X-Timestamp must be'],
    ['a fractional timestamp', { 'x-timestamp': '1764072000.5' }, 'X-Timestamp must be'],
    ['a timestamp 301 s behind', { 'x-timestamp': String(NOW / 1000 - 301) }, 'more than 300 s'],
    ['a timestamp 301 s ahead', { 'x-timestamp': String(NOW / 1000 + 301) }, 'more than 300 s'],
    ['no nonce', { 'x-nonce': undefined }, 'X-Nonce'],
    ['a 15-character nonce', { 'x-nonce': 'a'.repeat(15) }, 'X-Nonce'],
    ['a 65-character nonce', { 'x-nonce': 'a'.repeat(65) }, 'X-Nonce'],
    ['a nonce with a space', { 'x-nonce': 'abcdefgh ijklmnop' }, 'X-Nonce'],
    ['a non-ASCII nonce', { 'x-nonce': 'абвгдежзийклмноп' }, 'X-Nonce'],
    ['no signature', { 'x-signature': undefined }, 'X-Signature'],
    ['an uppercase signature', { 'x-signature': SIGNATURE.toUpperCase() }, 'X-Signature'],
    [
      'a base64 signature',
      { 'x-signature': 'tAeq/JAETt9K9MzbN3/PZMPsy15bdJaxrhol/X5zUg0=' },
      'X-Signature',
    ],
    ['a short signature', { 'x-signature': SIGNATURE.slice(1) }, 'X-Signature'],
  ])('refuses %s', (_name, change, message) => {
    const check = checkSignedRequestHeaders({ ...valid, ...change }, NOW, 300);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.error).toContain(message);
  });
});
