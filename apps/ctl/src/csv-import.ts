import { parse } from 'csv-parse';
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
    parse({
      delimiter: ';',
      bom: true,
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim());
        const missing = spec.columns.filter((c) => !names.includes(c));
        if (missing.length > 0) throw new Error(`header lacks column(s): ${missing.join(', ')}`);
        return names;
      },
      info: true,
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
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    rows += 1;
    const parsed = spec.parse(record);
    if (parsed.ok) chunk.push(parsed.value);
    else report.failed.push({ line: info.lines, error: parsed.error });
    if (chunk.length >= CHUNK) await flush();
  }
  await flush();
  await flush(); // waits for the last chunk's write
  bar?.update(size, { rows });
  bar?.stop();
  report.failed.sort((a, b) => a.line - b.line);
  return report;
}
