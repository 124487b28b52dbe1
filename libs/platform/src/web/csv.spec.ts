import { csvDocument } from './csv';

describe('csvDocument', () => {
  it('writes the BOM, the header and CRLF-ended records', () => {
    expect(
      csvDocument(
        ['Канал', 'Получено'],
        [
          ['Киоски', 3],
          ['a;b', null],
        ],
      ),
    ).toBe('\uFEFFКанал;Получено\r\nКиоски;3\r\n"a;b";\r\n');
  });

  it('writes the header alone for no rows', () => {
    expect(csvDocument(['a'], [])).toBe('\uFEFFa\r\n');
  });
});
