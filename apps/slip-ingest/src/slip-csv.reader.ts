import { type CsvError, type Info, parse } from 'csv-parse';
import { type Readable, Transform } from 'node:stream';
import { SLIP_COLUMNS, SLIP_REQUIRED_COLUMNS, type SlipColumn, type SlipRecord } from '@gw/domain';
import { SlipBatchError } from './slip-batch.errors';

/** A row of the batch file: its record, or what makes it unreadable. `row` is the line it starts on. */
export type SlipCsvItem =
  { row: number; record: SlipRecord; error: null } | { row: number; record: null; error: string };

/** A row is a few hundred bytes; far more is no row of this format, most often a quote left open. */
const MAX_RECORD_BYTES = 16 * 1024;

type ParserItem =
  { record: SlipRecord; raw: string; info: Info & { error?: CsvError } } | { unreadable: CsvError };

const fileError = (message: string) => new SlipBatchError('SLIP_FILE_INVALID', message);
const interrupted = () =>
  new SlipBatchError('UPLOAD_INTERRUPTED', 'the upload ended before the whole file arrived');

function slipHeader(header: string[]): (SlipColumn | false)[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const repeated = names.find((n, i) => n !== '' && names.indexOf(n) !== i);
  // Quoted: the name may hold any character, U+0000 included, and the message is stored.
  if (repeated) throw fileError(`the header names column ${JSON.stringify(repeated)} twice`);
  const missing = SLIP_REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    const hint =
      header.length === 1 && header[0].includes(',') ? ' (columns are separated by ";")' : '';
    throw fileError(
      `the header lacks column(s) ${missing.join(', ')}${hint}; expected ${SLIP_COLUMNS.join(';')}`,
    );
  }
  // Columns this version does not know are read past, so a centre may add some ahead of us.
  return names.map((n) => (SLIP_COLUMNS.includes(n as SlipColumn) ? (n as SlipColumn) : false));
}

/**
 * Passes the file's bytes on unchanged, failing at the first that are not UTF-8: read as UTF-8
 * anyway, a file in another encoding (windows-1251, say) would have each of its rows refused on its
 * own for the U+FFFD its letters became.
 */
function utf8Only(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const notUtf8 = () => fileError('the file is not UTF-8: save it as UTF-8 and send it again');
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        return done(notUtf8());
      }
      done(null, chunk);
    },
    flush(done) {
      try {
        decoder.decode();
      } catch {
        return done(notUtf8());
      }
      done();
    },
  });
}

const LINE_BREAK = /\r\n|\r|\n/g;
const LEADING_BREAKS = /^[\r\n]*/;
const TRAILING_BREAK = /[\r\n]$/;

/** Whether a quoted field is still open at the end of `text`, as the parser reads quotes here. */
function endsInQuote(text: string): boolean {
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      // A doubled quote is one quote of the text; any other closes the field.
      if (char === '"' && text[i + 1] === '"') i += 1;
      else if (char === '"') quoted = false;
      fieldStart = false;
    } else if (char === '"' && fieldStart) {
      quoted = true;
    } else {
      fieldStart = char === ';' || char === '\r' || char === '\n';
    }
  }
  return quoted;
}

/**
 * Why the file cannot be read on; `from` is the line the failing row starts on (or, past empty
 * lines, after). csv-parse skips a row over MAX_RECORD_BYTES without handing over the rest of its
 * text, so the lines after it could not be numbered: the file is refused, quote or not.
 */
function unreadable({ code, message, raw }: CsvError & { raw?: string }, from: number): string {
  if (code === 'CSV_QUOTE_NOT_CLOSED')
    return `a quote opened on or after line ${from} is never closed, so the rest of the file cannot be read`;
  if (code === 'CSV_MAX_RECORD_SIZE') {
    const text = raw ?? '';
    const line = from + (text.match(LEADING_BREAKS)?.[0].length ?? 0);
    return endsInQuote(text)
      ? `the row from line ${line} on runs past ${MAX_RECORD_BYTES} bytes: a quote opened there is probably never closed`
      : `line ${line} is longer than ${MAX_RECORD_BYTES} bytes, the most a row may have, so the rest of the file cannot be read`;
  }
  return `line ${from}: ${message}`;
}

/**
 * Streams the rows of a batch file (UTF-8, `;`, header row, a BOM tolerated) in file order, with
 * bounded memory: the source is paused while the caller works on a row. A malformed line becomes
 * an error item and reading goes on; a file that cannot be read on (not UTF-8, no header, an
 * unclosed quote) throws SLIP_FILE_INVALID, and a source that ends early throws UPLOAD_INTERRUPTED. If the caller
 * stops early, the rest of the source is drained so an answer can still be sent.
 */
export async function* readSlipCsv(input: Readable): AsyncGenerator<SlipCsvItem> {
  let width = 0;
  /** The header's line: 1 unless empty lines come first. */
  let headerLine: number | null = null;
  let linesBefore = 0;
  const parser = parse({
    delimiter: ';',
    bom: true,
    // Each line may end its own way: csv-parse would otherwise keep the first line's ending for
    // the whole file. CRLF comes first so that it is one line break, not two.
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_empty_lines: true,
    // A quote inside a field is text: payee names in QR payloads often carry quotes.
    relax_quotes: true,
    // A line with too few or too many fields is reported as that row's error; reading goes on.
    relax_column_count: true,
    max_record_size: MAX_RECORD_BYTES,
    info: true,
    raw: true,
    // Put in the stream after the rows read before it, so those are handled and the line known.
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      if (error) parser.push({ unreadable: error });
    },
    columns: (header: string[]) => {
      const columns = slipHeader(header);
      width = header.length;
      return columns;
    },
  });
  const ended = (error: unknown) => (error instanceof SlipBatchError ? error : interrupted());
  // Broken before this reader came to listen: no event will tell, the stream's state does.
  if (input.errored || (input.destroyed && !input.readableEnded)) throw ended(input.errored);
  const onError = (error: Error) => parser.destroy(ended(error));
  const onClose = () => {
    if (!input.readableEnded) parser.destroy(interrupted());
  };
  const utf8 = utf8Only();
  input.on('error', onError);
  input.on('close', onClose);
  utf8.on('error', onError);
  input.pipe(utf8).pipe(parser);
  let finished = false;
  try {
    for await (const item of parser as AsyncIterable<ParserItem>) {
      // csv-parse cannot find the next row again after these (an unclosed quote, a runaway
      // row): nothing after them can be trusted to be where it seems.
      if ('unreadable' in item)
        throw fileError(unreadable(item.unreadable, (headerLine ?? 1) + 1 + linesBefore));
      const { record, raw, info } = item;
      // Line numbers are counted here from the raw text (the empty lines skipped before the row,
      // the row, its line break): csv-parse's own count drifts after a quoted CRLF. Outside
      // quotes that text keeps only the CR of a CRLF, so each CR or LF there ends a line of its
      // own; inside quotes it is whole, and a CRLF there is one line break.
      const leading = raw.match(LEADING_BREAKS)?.[0].length ?? 0;
      const trailing = TRAILING_BREAK.test(raw) ? 1 : 0;
      const inner = raw.slice(leading, raw.length - trailing).match(LINE_BREAK)?.length ?? 0;
      headerLine ??= 1 + info.empty_lines - leading;
      const row = headerLine + 1 + linesBefore + leading;
      linesBefore += leading + inner + trailing;
      // No field of this format spans lines, so a line break inside a row means a stray quote.
      if (inner > 0) {
        yield {
          row,
          record: null,
          error: `lines ${row} to ${row + inner} were read as one row: a quote opened on line ${row} is not closed there`,
        };
      } else if (info.error) {
        const got = (info.error.record as unknown[] | undefined)?.length ?? 0;
        yield { row, record: null, error: `expected ${width} fields separated by ";", got ${got}` };
      } else {
        yield { row, record, error: null };
      }
    }
    if (width === 0)
      throw fileError(`the file is empty: it needs the header ${SLIP_COLUMNS.join(';')}`);
    finished = true;
  } finally {
    input.off('error', onError);
    input.off('close', onClose);
    if (!finished) {
      input.unpipe(utf8);
      utf8.destroy();
      parser.destroy();
      input.resume();
    }
  }
}
