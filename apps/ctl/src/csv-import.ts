import { Parser } from 'csv-parse';
import { createReadStream, statSync } from 'node:fs';
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
  parse(record: Record<string, string>): Parsed<T>;
  write(rows: T[]): Promise<{ imported: number; updated: number }>;
}

const CHUNK = 2000;

/** A record as csv-parse splits it, with the line it ends on. */
interface NumberedFields {
  fields: string[];
  line: number;
}

/**
 * csv-parse's records as arrays of fields, each with the line it ends on: csv-parse counts the
 * lines as it parses, while its `info` and `columns` options would copy its state into every
 * record and build every record property by property, the larger part of an import's CPU time.
 */
class NumberedParser extends Parser {
  override push(fields: string[] | null): boolean {
    return super.push(fields && ({ fields, line: this.info.lines } satisfies NumberedFields));
  }
}

/**
 * Streams a `;`-separated UTF-8 file (a BOM is tolerated) through `spec`, writing valid rows in
 * chunks. Bad rows are reported with their line number and the rest of the file still imports.
 * Memory stays bounded by the chunk size, whatever the file's size.
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
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      trim: true,
    }),
  );
  parser.on('skip', (error: Error & { lines?: number }) =>
    report.failed.push({ line: error.lines ?? 0, error: error.message }),
  );
  let chunk: T[] = [];
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
    const written = chunk;
    chunk = [];
    writing = spec.write(written).then(
      (counts) => {
        report.imported += counts.imported;
        report.updated += counts.updated;
        bar?.update(stream.bytesRead, { rows: rowsSoFar });
      },
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
  };
  let names: string[] | null = null;
  for await (const { fields, line } of parser as AsyncIterable<NumberedFields>) {
    if (names === null) {
      names = fields.map((h) => h.trim());
      const missing = spec.columns.filter((c) => !names?.includes(c));
      if (missing.length > 0) throw new Error(`header lacks column(s): ${missing.join(', ')}`);
      continue;
    }
    // A row shorter than the header lacks the last columns; one longer has its extra fields ignored.
    const record: Record<string, string> = {};
    for (let i = 0; i < fields.length && i < names.length; i += 1) record[names[i]] = fields[i];
    rows += 1;
    const parsed = spec.parse(record);
    if (parsed.ok) chunk.push(parsed.value);
    else report.failed.push({ line, error: parsed.error });
    if (chunk.length >= CHUNK) await flush();
  }
  await flush();
  await flush(); // waits for the last chunk's write
  bar?.update(size, { rows });
  bar?.stop();
  report.failed.sort((a, b) => a.line - b.line);
  return report;
}
