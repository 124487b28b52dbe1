import { isUuid, uuidV5 } from './uuid';

describe('isUuid', () => {
  it.each([
    ['a version 5 submission id', '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11', true],
    ['a random version 4 id in capitals', 'F47AC10B-58CC-4372-A567-0E02B2C3D479', true],
    ['the nil UUID', '00000000-0000-0000-0000-000000000000', true],
    ['without hyphens', '0b5c4f7e2a1d5c1e9f5a0d8a2b8e6c11', false],
    ['in braces', '{0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11}', false],
    ['a digit short', '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c1', false],
    ['with a non-hex digit', '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c1g', false],
    ['followed by a line break', '0b5c4f7e-2a1d-5c1e-9f5a-0d8a2b8e6c11\n', false],
    ['empty', '', false],
  ])('%s -> %s', (_name, text, expected) => {
    expect(isUuid(text)).toBe(expected);
  });
});

describe('uuidV5', () => {
  it("gives RFC 9562's example for www.example.com in the DNS namespace", () => {
    const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');
    expect(uuidV5(dns, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});
