/** A cell of a CSV file: text, a number, or nothing. */
export type CsvCell = string | number | null;

/**
 * The separator of the gateway's CSV files. Spreadsheet programs in a Russian locale (Excel with
 * the decimal comma, LibreOffice Calc, Numbers) split a double-clicked CSV file on the locale's
 * list separator, which is `;`, and would leave a comma-separated file in one column.
 */
export const CSV_SEPARATOR = ';';

/** Starts of text a spreadsheet would run as a formula; such text is kept as text by a leading `'`. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a spreadsheet opening a CSV file would run this text as a formula. */
export function startsAsFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/**
 * One field as RFC 4180 writes it: quoted (with quotes doubled) when it holds a separator (`;` or
 * `,`), a quote, a line break or leading or trailing spaces; text that a spreadsheet would evaluate
 * gets an apostrophe first (OWASP, CSV injection), numbers are written as they are.
 */
export function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const text = startsAsFormula(cell) ? `'${cell}` : cell;
  return /[;,"\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
