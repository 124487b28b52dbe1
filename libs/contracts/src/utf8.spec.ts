import {
  characterCount,
  declaresNoContentCoding,
  declaresUtf8,
  isStorableText,
  utf8Text,
} from './utf8';

describe('utf8Text', () => {
  it.each<[string, number[], string | null]>([
    ['ASCII', [0x61, 0x62], 'ab'],
    ['Cyrillic', [0xd0, 0x91], 'Б'],
    ['an emoji', [0xf0, 0x9f, 0x98, 0x80], '😀'],
    ['a byte order mark, kept', [0xef, 0xbb, 0xbf, 0x7b], '\ufeff{'],
    ['nothing', [], ''],
    ['a Windows-1251 letter', [0xc1, 0x31], null],
    ['a sequence cut short', [0xf0, 0x9f, 0x98], null],
    ['an overlong encoding of "/"', [0xc0, 0xaf], null],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], null],
  ])('%s', (_name, bytes, text) => {
    expect(utf8Text(Uint8Array.from(bytes))).toBe(text);
  });
});

describe('isStorableText', () => {
  it.each<[string, string, boolean]>([
    ['plain text', 'batch-77/3', true],
    ['a surrogate pair', '😀', true],
    ['U+0000', 'a\u0000b', false],
    ['a lone high surrogate', 'a\ud800', false],
    ['a lone low surrogate', '\udc00b', false],
    ['a pair the wrong way round', '\ude00\ud83d', false],
  ])('%s', (_name, text, storable) => {
    expect(isStorableText(text)).toBe(storable);
  });
});

describe('characterCount', () => {
  it.each<[string, number]>([
    ['', 0],
    ['abc', 3],
    ['Бв', 2],
    ['😀😀', 2],
    ['a\ud800', 2],
    ['\ud800\ud800', 2],
    ['😀'.repeat(128) + '/1', 130],
  ])('%p has %p characters', (text, count) => {
    expect(characterCount(text)).toBe(count);
  });
});

describe('declaresUtf8', () => {
  it.each<[string, boolean]>([
    ['application/json', true],
    ['text/csv; charset=utf-8', true],
    ['application/json;charset=UTF-8', true],
    ['text/csv; charset="utf-8"', true],
    ['application/json; charset=utf8', true],
    ['application/json; charset=utf-8; q=1', true],
    ['application/json; charset=windows-1251', false],
    ['text/csv; charset=utf-16', false],
    ['application/json; charset=utf-8x', false],
    ['application/json; charset=', false],
  ])('%s -> %p', (type, utf8) => {
    expect(declaresUtf8(type)).toBe(utf8);
  });
});

describe('declaresNoContentCoding', () => {
  it.each<[string | undefined, boolean]>([
    [undefined, true],
    ['', true],
    ['identity', true],
    [' Identity ', true],
    ['gzip', false],
    ['br', false],
    ['gzip, identity', false],
  ])('%p -> %p', (encoding, none) => {
    expect(declaresNoContentCoding(encoding)).toBe(none);
  });
});
