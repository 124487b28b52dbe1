import { terminalJson, terminalText } from './terminal-json';

const C1 = Array.from({ length: 32 }, (_, i) => 0x80 + i);
const BIDI = [
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
];
/** Zero-width space, non-joiner and joiner, word joiner, soft hyphen, byte order mark. */
const INVISIBLE = [0x200b, 0x200c, 0x200d, 0x2060, 0x00ad, 0xfeff];
const SEPARATORS = [0x2028, 0x2029];
const hex = (code: number) => code.toString(16).padStart(4, '0');

describe('terminalJson', () => {
  it.each([0x7f, ...C1, ...BIDI, ...INVISIBLE, ...SEPARATORS].map((code) => [hex(code), code]))(
    'writes U+%s as an escape that parses back to it',
    (name, code) => {
      const text = `a${String.fromCharCode(code)}b`;
      const json = terminalJson({ [text]: text }, 2);
      expect(json).toBe(`{\n  "a\\u${name}b": "a\\u${name}b"\n}`);
      expect(JSON.parse(json)).toEqual({ [text]: text });
    },
  );

  it.each([
    ['Cyrillic', 'Иванов Пётр, кв. 12'],
    ['emoji', '🔥😀'],
    ['Latin-1 letters after the C1 block', '\u00a0é ÿ'],
    ['spaces that show as spaces', '\u2007\u202f\u3000'],
    ['the characters next to the format ones', '\u2027\u2030\u2065\ufefe\ufff0'],
  ])('leaves %s as it is', (_, text) => {
    expect(terminalJson([text], 2)).toBe(JSON.stringify([text], null, 2));
  });

  it('writes a format character beyond U+FFFF as its surrogate pair', () => {
    const json = terminalJson('flag\u{e0001}');
    expect(json).toBe('"flag\\udb40\\udc01"');
    expect(JSON.parse(json)).toBe('flag\u{e0001}');
  });

  it('shows the joiner of an emoji sequence, so a look-alike cannot hide in one', () => {
    expect(terminalJson('👩\u200d💻')).toBe('"👩\\u200d💻"');
  });

  it('escapes C0 controls as JSON.stringify does', () => {
    expect(terminalJson('\u001b[2J')).toBe('"\\u001b[2J"');
  });
});

describe('terminalText', () => {
  it.each([
    ['ESC', '\u001b[2J', '\\u001b[2J'],
    ['NUL and BEL', 'a\u0000b\u0007', 'a\\u0000b\\u0007'],
    ['DEL', 'a\u007f', 'a\\u007f'],
    ['a C1 CSI', 'a\u009b2J', 'a\\u009b2J'],
    ['a right-to-left override', 'txt.\u202eexe', 'txt.\\u202eexe'],
    ['a zero-width space', '6000000001\u200b', '6000000001\\u200b'],
    ['a line separator', 'a\u2028b', 'a\\u2028b'],
  ])('writes %s as an escape', (_, text, shown) => {
    expect(terminalText(text)).toBe(shown);
  });

  it('keeps tabs, line breaks, Cyrillic and emoji', () => {
    const text = 'invalid configuration:\n\tDATABASE_URL: не задан 🔥';
    expect(terminalText(text)).toBe(text);
  });
});
