import { type CsvError, type Options, Parser } from 'csv-parse';
import { createReadStream, statSync } from 'node:fs';
import type { TransformCallback } from 'node:stream';
import { Logger } from '@nestjs/common';
import { SingleBar } from 'cli-progress';
import type { Parsed } from '@gw/domain';

export interface ImportReport {
  imported: number;
  updated: number;
  failed: { line: number; error: string }[];
}

export interface CsvImport<T> {
  /** Header columns the file must have. */
  columns: readonly string[];
  /** Header columns read when the file has them. Any other is warned of on stderr, not read. */
  optionalColumns?: readonly string[];
  parse(record: Record<string, string>): Parsed<T>;
  /**
   * Writes valid rows; `lines[i]` is the line of `rows[i]`, for a row the write refuses. Returns
   * what it imported and updated, or nothing when it only stages the rows to be counted later.
   */
  write(rows: T[], lines: number[]): Promise<{ imported: number; updated: number } | void>;
}

const CHUNK = 2000;

/**
 * The longest row read, in bytes. The widest row of these files (a registry row) is a few hundred
 * bytes: a longer one is a quote left open, and the bound keeps csv-parse from holding the rest
 * of the file as its one row.
 */
const MAX_ROW_BYTES = 64 * 1024;

const CR = 0x0d;
const LF = 0x0a;

/** A record as csv-parse splits it, with the line it ends on. */
interface NumberedFields {
  fields: string[];
  line: number;
}

/** What csv-parse could not read as a record: from the line the record starts on to `line`. */
interface Unreadable {
  error: CsvError;
  from: number;
  line: number;
}

/**
 * csv-parse's records as arrays of fields, each with the line it ends on: csv-parse counts the
 * lines as it parses, while its `info` and `columns` options would copy its state into every
 * record and build every record property by property, the larger part of an import's CPU time.
 * What it cannot read comes in the same stream, after the records before it.
 *
 * Lines end with CRLF, LF or CR, in any mix. csv-parse is given each CRLF as a CR: it counts
 * every CR and every LF inside quotes as a line, so a CRLF there would count as two.
 */
class NumberedParser extends Parser {
  /** The line after the last record read or refused, and the empty lines skipped by then. */
  private next = 1;
  private emptyLines = 0;
  /** Whether the last chunk ended with a CR, whose LF may start the next one. */
  private afterCr = false;

  constructor(options: Options) {
    super(options);
    this.on('skip', (error: CsvError) => {
      const line = error.lines as number;
      // A further error on a line of the record refused a moment ago says nothing new of it.
      if (line < this.next) return;
      // The record starts after the last one and the empty lines skipped since; a second error
      // in the record refused a moment ago is still on that record's lines.
      const from = Math.min(this.next + this.info.empty_lines - this.emptyLines, line);
      // A quote followed by more than a separator on the line it opened on (`"2026"-05`) closes
      // there all the same: csv-parse would read on as if it were still open, taking the rows
      // after it as part of this one.
      if (error.code === 'CSV_INVALID_CLOSING_QUOTE' && from === line)
        (this as unknown as { state: { quoting: boolean } }).state.quoting = false;
      this.ended(line);
      super.push({ error, from, line } satisfies Unreadable);
    });
  }

  /** Passes the chunk on with each CRLF as a CR, a CRLF split between two chunks included. */
  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    const kept: Buffer[] = [];
    let start = this.afterCr && chunk[0] === LF ? 1 : 0;
    for (let cr = chunk.indexOf('\r\n', start); cr !== -1; cr = chunk.indexOf('\r\n', start)) {
      kept.push(chunk.subarray(start, cr + 1));
      start = cr + 2;
    }
    if (chunk.length > 0) this.afterCr = chunk[chunk.length - 1] === CR;
    if (start > 0) kept.push(chunk.subarray(start));
    super._transform(start > 0 ? Buffer.concat(kept) : chunk, encoding, callback);
  }

  override push(fields: string[] | null): boolean {
    if (fields) this.ended(this.info.lines);
    return super.push(fields && ({ fields, line: this.info.lines } satisfies NumberedFields));
  }

  private ended(line: number): void {
    this.next = line + 1;
    this.emptyLines = this.info.empty_lines;
  }
}

/**
 * Refuses a header (none, in an empty file) without every column `columns` names, or naming a
 * column twice: which of the two a row's value would be read from is anyone's guess.
 */
function checkHeader(columns: readonly string[], names: readonly string[]): void {
  const missing = columns.filter((c) => !names.includes(c));
  if (missing.length > 0) throw new Error(`header lacks column(s): ${missing.join(', ')}`);
  const twice = [...new Set(names.filter((name, i) => name !== '' && names.indexOf(name) !== i))];
  // Quoted: a name from the file may hold a line break, which would start a line of its own.
  if (twice.length > 0)
    throw new Error(
      `header names column(s) twice: ${twice.map((n) => JSON.stringify(n)).join(', ')}`,
    );
}

/**
 * No field of these files spans lines: a line break in one means a quote opened on line `from`
 * and not closed there joined the lines up to `to` into one row.
 */
function unclosedQuote(from: number, to: number): string {
  return `lines ${from} to ${to} were read as one row: a quote opened on line ${from} is not closed there`;
}

/** Line breaks in the fields, each CR and each LF, as csv-parse counts the lines inside quotes. */
function lineBreaks(fields: string[]): number {
  let count = 0;
  for (const field of fields) count += field.match(/[\r\n]/g)?.length ?? 0;
  return count;
}

/** How the report names what csv-parse could not read: a record that runs past its line is a quote's doing. */
function unreadable({ error, from, line }: Unreadable): ImportReport['failed'][number] {
  if (error.code === 'CSV_MAX_RECORD_SIZE')
    return {
      line: from,
      error: `the row starting on line ${from} runs past ${MAX_ROW_BYTES / 1024} KiB (a quote opened there and never closed?), so the rest of the file was not read`,
    };
  if (error.code === 'CSV_QUOTE_NOT_CLOSED')
    return {
      line: from,
      error: `a quote opened on line ${from} is never closed, so the rest of the file was read as one row`,
    };
  if (from < line) return { line: from, error: unclosedQuote(from, line) };
  return { line, error: error.message };
}

/**
 * Streams a `;`-separated UTF-8 file (a BOM is tolerated) through `spec`, writing valid rows in
 * chunks. Bad rows are reported with their line number and the rest of the file still imports,
 * unless a row runs past `MAX_ROW_BYTES`: csv-parse cannot find where it ends, so it is reported
 * and the file is read no further. Memory stays bounded by the chunk size, whatever the file's
 * size.
 */
export async function importCsv<T>(
  file: string,
  spec: CsvImport<T>,
  progress = process.stderr.isTTY,
): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, updated: 0, failed: [] };
  const size = statSync(file).size;
  const bar = progress
    ? new SingleBar({
        format: 'import [{bar}] {percentage}% | {value}/{total} bytes | {rows} rows',
        stream: process.stderr,
      })
    : null;
  bar?.start(size, 0, { rows: 0 });
  const stream = createReadStream(file);
  const parser = stream.pipe(
    new NumberedParser({
      delimiter: ';',
      record_delimiter: ['\n', '\r'],
      max_record_size: MAX_ROW_BYTES,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      trim: true,
    }),
  );
  // pipe() does not pass the file's own errors on (a directory, no read permission).
  stream.on('error', (error) => parser.destroy(error));
  let chunk: T[] = [];
  let chunkLines: number[] = [];
  let rows = 0;
  // One chunk is written while the next is parsed: the file's parsing and the database's work
  // overlap, and chunks still reach the database in file order, so a later row for the same key
  // still wins.
  let writing: Promise<unknown> = Promise.resolve();
  const flush = async () => {
    // A failed write is thrown here, at the next flush, rather than left unhandled meanwhile.
    const failure = await writing;
    if (failure instanceof Error) throw failure;
    if (chunk.length === 0) return;
    const rowsSoFar = rows;
    const [written, lines] = [chunk, chunkLines];
    [chunk, chunkLines] = [[], []];
    writing = spec.write(written, lines).then(
      (counts) => {
        report.imported += counts?.imported ?? 0;
        report.updated += counts?.updated ?? 0;
        bar?.update(stream.bytesRead, { rows: rowsSoFar });
      },
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
  };
  let names: string[] | null = null;
  for await (const item of parser as AsyncIterable<NumberedFields | Unreadable>) {
    if ('error' in item) {
      const failure = unreadable(item);
      // Otherwise the next row would be read as the header, and refused as lacking the columns.
      if (names === null)
        throw new Error(`the header on line ${failure.line} cannot be read: ${failure.error}`);
      report.failed.push(failure);
      // csv-parse drops what follows such a row, chunk by chunk, to the end of the file.
      if (item.error.code === 'CSV_MAX_RECORD_SIZE') {
        stream.destroy();
        break;
      }
      continue;
    }
    const { fields, line } = item;
    if (names === null) {
      names = fields.map((h) => h.trim());
      checkHeader(spec.columns, names);
      const known = [...spec.columns, ...(spec.optionalColumns ?? [])];
      const unread = names.filter((name) => name !== '' && !known.includes(name));
      if (unread.length > 0)
        new Logger('import').warn({ msg: 'header column(s) not read', columns: unread });
      continue;
    }
    rows += 1;
    const breaks = lineBreaks(fields);
    if (breaks > 0) {
      report.failed.push({ line: line - breaks, error: unclosedQuote(line - breaks, line) });
      continue;
    }
    if (fields.length !== names.length) {
      report.failed.push({
        line,
        error: `${fields.length} fields, the header has ${names.length}`,
      });
      continue;
    }
    const record: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 1) record[names[i]] = fields[i];
    const parsed = spec.parse(record);
    if (parsed.ok) {
      chunk.push(parsed.value);
      chunkLines.push(line);
    } else report.failed.push({ line, error: parsed.error });
    if (chunk.length >= CHUNK) await flush();
  }
  if (names === null) checkHeader(spec.columns, []);
  await flush();
  await flush(); // waits for the last chunk's write
  bar?.update(size, { rows });
  bar?.stop();
  return report;
}
