import { csvField } from './csv';

describe('csvField', () => {
  const cases: [string, string | number | null, string][] = [
    ['plain text as it is', 'Киоски', 'Киоски'],
    ['nothing as an empty field', null, ''],
    ['a number as it is', 42, '42'],
    ['a negative number as a number', -3, '-3'],
    ['the separator quoted', 'a;b', '"a;b"'],
    ['a comma quoted', '00111,250', '"00111,250"'],
    ['quotes doubled', 'сказал "да"', '"сказал ""да"""'],
    ['a line break quoted', 'две\r\nстроки', '"две\r\nстроки"'],
    ['a bare LF quoted', 'a\nb', '"a\nb"'],
    ['leading spaces kept by quotes', '  отступ', '"  отступ"'],
    ['a formula kept as text', '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['a plus sign kept as text', '+7 900', "'+7 900"],
    ['an at sign kept as text', '@cmd', "'@cmd"],
    ['a minus in text kept as text', '-1+2', "'-1+2"],
  ];
  it.each(cases)('%s', (_name, cell, expected) => {
    expect(csvField(cell)).toBe(expected);
  });
});
