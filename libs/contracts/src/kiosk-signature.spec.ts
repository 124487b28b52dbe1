import { kioskStringToSign, type KioskRequestParts, signKioskRequest } from './kiosk-signature';

const SECRET = 'kiosk-secret-0042';
const post: KioskRequestParts = {
  timestamp: '1764072000',
  nonce: 'abcdefghijklmnop',
  method: 'POST',
  path: '/v1/kiosk/readings',
  body: '{"batchId":"77","items":[]}',
};
const get: KioskRequestParts = {
  timestamp: '1764072000',
  nonce: 'abcdefghijklmnop',
  method: 'GET',
  path: '/v1/kiosk/submissions/83fcef54-dbf9-5859-8e3b-358f85cd1a39',
  body: '',
};

describe('kiosk request signature (contract 7.1)', () => {
  it('signs "<timestamp>\\n<nonce>\\n<METHOD>\\n<path>\\n<hex sha256 of the body>"', () => {
    expect(kioskStringToSign(post)).toBe(
      '1764072000\nabcdefghijklmnop\nPOST\n/v1/kiosk/readings\n' +
        '1607b10b6af54e1b6c147631cb65dd2f2a9f693ec58e552061bbb715fd751d0c',
    );
  });

  it.each<[string, KioskRequestParts, string]>([
    // Computed independently with Python's hmac and hashlib: kiosk vendors reproduce these.
    ['a POST batch', post, 'b407aafc90044edf4af4ccdb77fcf64c3ec4cb5e759476b1ae25a1fd7e73520d'],
    [
      'a GET with an empty body',
      get,
      '822a8bdffd7cf301d5e41464bd3fe9d1d259699324bc0082bd2312693aaeab1f',
    ],
    [
      'a lowercase method',
      { ...post, method: 'post' },
      'b407aafc90044edf4af4ccdb77fcf64c3ec4cb5e759476b1ae25a1fd7e73520d',
    ],
  ])('matches the reference HMAC-SHA256 for %s', (_name, parts, expected) => {
    expect(signKioskRequest(SECRET, parts)).toBe(expected);
  });

  it('hashes the body bytes exactly as sent', () => {
    expect(signKioskRequest(SECRET, { ...post, body: Buffer.from(post.body as string) })).toBe(
      signKioskRequest(SECRET, post),
    );
  });

  it.each<[string, Partial<KioskRequestParts>]>([
    ['timestamp', { timestamp: '1764072001' }],
    ['nonce', { nonce: 'abcdefghijklmnoq' }],
    ['method', { method: 'PUT' }],
    ['path', { path: '/v1/kiosk/readings/' }],
    ['body', { body: '{"batchId":"77","items":[] }' }],
  ])('changes when the %s changes', (_name, change) => {
    expect(signKioskRequest(SECRET, { ...post, ...change })).not.toBe(
      signKioskRequest(SECRET, post),
    );
  });

  it('changes with the secret', () => {
    expect(signKioskRequest(`${SECRET}x`, post)).not.toBe(signKioskRequest(SECRET, post));
  });
});
