/** A cell of an exported table: text, a count, or nothing. */
export type CsvCell = string | number | null;

/**
 * The separator of the exports. Spreadsheet programs in a Russian locale (Excel with the decimal
 * comma, LibreOffice Calc, Numbers) split a double-clicked CSV file on the locale's list
 * separator, which is `;`, and would leave a comma-separated file in one column.
 */
export const CSV_SEPARATOR = ';';

/** Starts of text a spreadsheet would run as a formula; such text is kept as text by a leading `'`. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field as RFC 4180 writes it: quoted (with quotes doubled) when it holds the separator, a
 * quote, a line break or leading or trailing spaces; text that a spreadsheet would evaluate gets an
 * apostrophe first (OWASP, CSV injection), numbers are written as they are.
 */
export function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[;,"\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A whole file: UTF-8 byte order mark (so spreadsheet programs read the Cyrillic as UTF-8), the
 * header row, then one record per row, every record ended by CRLF.
 */
export function csvDocument(header: string[], rows: CsvCell[][]): string {
  const line = (cells: CsvCell[]) => `${cells.map(csvField).join(CSV_SEPARATOR)}\r\n`;
  return `\uFEFF${line(header)}${rows.map(line).join('')}`;
}
