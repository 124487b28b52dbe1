import { StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';

/**
 * A CSV file to save, named for what it holds: whole text, or chunks streamed as they are made.
 * Nest sets its type only as it sends the file, so an error answered instead (a malformed query)
 * keeps its own: JSON from the API, a page from the web UI.
 */
export function csvFile(fileName: string, body: string | AsyncIterable<string>): StreamableFile {
  return new StreamableFile(Readable.from(body), {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${fileName}.csv"`,
  });
}
