import { slipImageUrl, sniffSlipImageType } from './slip-image';

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)),
  );

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('sniffSlipImageType', () => {
  it.each([
    ['a JPEG (JFIF)', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), 'image/jpeg'],
    ['a JPEG (Exif)', bytes([0xff, 0xd8, 0xff, 0xe1], 'Exif'), 'image/jpeg'],
    ['a PNG', bytes(PNG, [0, 0, 0, 13], 'IHDR'), 'image/png'],
    ['a WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['nothing', bytes(), null],
    ['a JPEG cut after two bytes', bytes([0xff, 0xd8]), null],
    ['a PNG signature missing its last byte', bytes(PNG.slice(0, 7)), null],
    ['a RIFF container of another form (WAVE)', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '), null],
    ['a RIFF header cut before its form', bytes('RIFF', [0x24, 0, 0, 0], 'WEB'), null],
    ['a GIF', bytes('GIF89a'), null],
    ['a PDF named .png', bytes('%PDF-1.7'), null],
    ['an SVG (script can hide in it)', bytes('<svg xmlns="http://www.w3.org/2000/svg">'), null],
    ['HTML', bytes('<!doctype html><script>'), null],
  ])('%s is %s', (_name, input, expected) => {
    expect(sniffSlipImageType(input)).toBe(expected);
  });
});

describe('slipImageUrl', () => {
  const STORE = 'https://scans.example/store';
  it.each([
    ['a path', '2026/11/20/S-000001.png', `${STORE}/2026/11/20/S-000001.png`],
    ['a name alone', 'S-1.jpg', `${STORE}/S-1.jpg`],
    ['spaces, # and ?', 'run 1/a#b?.png', `${STORE}/run%201/a%23b%3F.png`],
    ['Cyrillic', 'скан/1.png', `${STORE}/%D1%81%D0%BA%D0%B0%D0%BD/1.png`],
    ['a percent sign', '100%.png', `${STORE}/100%25.png`],
    ['a backslash', 'a\\..\\b.png', `${STORE}/a%5C..%5Cb.png`],
    ['a leading slash', '/etc/passwd', null],
    ['a trailing slash', 'dir/', null],
    ['an empty segment', 'a//b.png', null],
    ['a dot segment', 'a/./b.png', null],
    ['a parent segment', '../other/b.png', null],
    ['a parent segment inside', 'a/../../b.png', null],
    ['nothing', '', null],
  ])('%s', (_name, ref, expected) => {
    expect(slipImageUrl(STORE, ref)).toBe(expected);
  });

  it('takes a base URL with or without its trailing slash', () => {
    expect(slipImageUrl(`${STORE}/`, 'a.png')).toBe(slipImageUrl(STORE, 'a.png'));
  });
});
