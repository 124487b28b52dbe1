import { type CsvCell, CSV_SEPARATOR, csvField } from '@gw/contracts';

/**
 * A whole file: UTF-8 byte order mark (so spreadsheet programs read the Cyrillic as UTF-8), the
 * header row, then one record per row, every record ended by CRLF.
 */
export function csvDocument(header: string[], rows: CsvCell[][]): string {
  const line = (cells: CsvCell[]) => `${cells.map(csvField).join(CSV_SEPARATOR)}\r\n`;
  return `\uFEFF${line(header)}${rows.map(line).join('')}`;
}
