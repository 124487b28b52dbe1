import { Logger } from '@nestjs/common';
import { CHARGE_COLUMNS, parseChargeRecord } from '@gw/domain';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ImportReport, importCsv } from './csv-import';

const dir = mkdtempSync(join(tmpdir(), 'csv-import-'));
let files = 0;

const HEADER = CHARGE_COLUMNS.join(';');
const good = (amount = '100.00') => `5000000001;2026-05;${amount}`;
const bad = () => `12345;2026-05;1.00`;
const badAccount = (line: number) => ({ line, error: 'account_number must be 10 digits' });

/** Imports `lines`, line `i` (from 0) ended by `ending(i)`; reports the lines of the rows written. */
async function importLines(
  lines: string[],
  ending: (index: number) => string,
): Promise<{ report: ImportReport; written: number[] }> {
  files += 1;
  const file = join(dir, `${files}.csv`);
  writeFileSync(file, lines.map((line, i) => line + ending(i)).join(''));
  const written: number[] = [];
  const report = await importCsv(
    file,
    {
      columns: CHARGE_COLUMNS,
      parse: parseChargeRecord,
      write: async (rows, rowLines) => {
        written.push(...rowLines);
        return { imported: rows.length, updated: 0 };
      },
    },
    false,
  );
  return { report, written };
}

const ENDINGS: [string, (index: number) => string][] = [
  ['LF', () => '\n'],
  ['CRLF', () => '\r\n'],
  ['CR', () => '\r'],
  ['a CRLF header and LF rows', (i) => (i === 0 ? '\r\n' : '\n')],
  ['an LF header and CRLF rows', (i) => (i === 0 ? '\n' : '\r\n')],
  ['a CR header and LF rows', (i) => (i === 0 ? '\r' : '\n')],
  // An empty line ended by an LF after a line ended by a CR would be one CRLF.
  ['CRLF, CR and LF in turn', (i) => ['\r\n', '\r', '\n'][i % 3]],
];

const CASES: {
  name: string;
  lines: string[];
  written: number[];
  failed: ImportReport['failed'];
}[] = [
  {
    name: 'bad rows and an empty line',
    lines: [HEADER, good(), bad(), '', good(), bad(), good()],
    written: [2, 5, 7],
    failed: [badAccount(3), badAccount(6)],
  },
  {
    name: 'a quote closed on the next line',
    lines: [HEADER, good(), good('"100'), good('200"'), bad(), good()],
    written: [2, 6],
    failed: [
      {
        line: 3,
        error: 'lines 3 to 4 were read as one row: a quote opened on line 3 is not closed there',
      },
      badAccount(5),
    ],
  },
  {
    name: 'a quote closed on the next line by a quote csv-parse refuses',
    lines: [HEADER, good(), good('"100'), '5000000001;"2026-05";1', bad(), good()],
    written: [2, 6],
    failed: [
      {
        line: 3,
        error: 'lines 3 to 4 were read as one row: a quote opened on line 3 is not closed there',
      },
      badAccount(5),
    ],
  },
  {
    name: 'a quote closed before the end of its field',
    lines: [HEADER, good(), '5000000001;"2026"-05;1.00', good(), '5000000002;"2026-05";1', good()],
    written: [2, 4, 5, 6],
    failed: [
      {
        line: 3,
        error:
          'Invalid Closing Quote: got "-" at line 3 instead of delimiter, record delimiter, trimable character (if activated) or comment',
      },
    ],
  },
  {
    name: 'quotes closed before the end of their field twice in a row',
    lines: [HEADER, '5000000001;"20"26"-05";1', good()],
    written: [3],
    failed: [
      {
        line: 2,
        error:
          'Invalid Closing Quote: got "2" at line 2 instead of delimiter, record delimiter, trimable character (if activated) or comment',
      },
    ],
  },
  {
    name: 'a quote never closed',
    lines: [HEADER, good(), bad(), good('"100'), good(), good()],
    written: [2],
    failed: [
      badAccount(3),
      {
        line: 4,
        error:
          'a quote opened on line 4 is never closed, so the rest of the file was read as one row',
      },
    ],
  },
];

describe('importCsv', () => {
  describe.each(ENDINGS)('with %s', (_, ending) => {
    it.each(CASES)('names the lines of $name', async ({ lines, written, failed }) => {
      expect(await importLines(lines, ending)).toEqual({
        report: { imported: written.length, updated: 0, failed },
        written,
      });
    });
  });

  it.each(ENDINGS)(
    'stops at a row that runs past 64 KiB, with %s, naming the line it starts on',
    async (_, ending) => {
      const rest = Array.from({ length: 5000 }, () => good());
      expect(await importLines([HEADER, good(), good('"100'), ...rest], ending)).toEqual({
        report: {
          imported: 1,
          updated: 0,
          failed: [
            {
              line: 3,
              error:
                'the row starting on line 3 runs past 64 KiB (a quote opened there and never closed?), so the rest of the file was not read',
            },
          ],
        },
        written: [2],
      });
    },
  );

  it('refuses a header naming a column twice, rather than read one of the two', async () => {
    await expect(
      importLines([`${HEADER};period`, `${good()};2026-06`], () => '\n'),
    ).rejects.toThrow('header names column(s) twice: "period"');
  });

  it('warns of header columns it does not read, so a misspelled one is not dropped unseen', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const { report } = await importLines(
        [`${HEADER};adress;;amount_charged_2`, `${good()};Тверская 1;;`],
        () => '\n',
      );
      expect(report).toEqual({ imported: 1, updated: 0, failed: [] });
      expect(warn.mock.calls).toEqual([
        [{ msg: 'header column(s) not read', columns: ['adress', 'amount_charged_2'] }],
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it('reads an optional column without a warning', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      files += 1;
      const file = join(dir, `${files}.csv`);
      writeFileSync(file, `${HEADER};note\n${good()};x\n`);
      const notes: string[] = [];
      await importCsv(
        file,
        {
          columns: CHARGE_COLUMNS,
          optionalColumns: ['note'],
          parse: (record) => {
            notes.push(record.note);
            return parseChargeRecord(record);
          },
          write: async (rows) => ({ imported: rows.length, updated: 0 }),
        },
        false,
      );
      expect(notes).toEqual(['x']);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses a header it cannot read, naming the quote rather than the columns it holds', async () => {
    await expect(
      importLines(['account_number;"period"x;amount_charged', good(), good()], () => '\n'),
    ).rejects.toThrow(
      'the header on line 1 cannot be read: Invalid Closing Quote: got "x" at line 1',
    );
  });

  it('quotes a repeated name that holds a line break, so it cannot start a line of its own', async () => {
    const name = '"x\nerror: done"';
    await expect(
      importLines([`${HEADER};${name};${name}`, `${good()};1;2`], () => '\n'),
    ).rejects.toThrow('header names column(s) twice: "x\\nerror: done"');
  });

  it('reads a CRLF split between two chunks of the file as one line break', async () => {
    // The file is read in chunks of 64 KiB: the padded row's CR is the first chunk's last byte.
    const crlfRow = good().length + 2;
    const before = 64 * 1024 - 1 - (HEADER.length + 2) - good().length;
    const rows = Math.floor(before / crlfRow);
    const padded = good(`${' '.repeat(before - rows * crlfRow)}100.00`);
    const lines = [HEADER, ...Array.from({ length: rows }, () => good()), padded, bad(), good()];
    const { report, written } = await importLines(lines, () => '\r\n');
    expect(report.failed).toEqual([badAccount(rows + 3)]);
    expect(written.slice(-2)).toEqual([rows + 2, rows + 4]);
  });

  it('reads a row of nearly 64 KiB as a row', async () => {
    expect(await importLines([HEADER, good('1'.repeat(60_000)), good()], () => '\n')).toEqual({
      report: {
        imported: 1,
        updated: 0,
        failed: [
          {
            line: 2,
            error:
              'amount_charged must be an amount in rubles with at most 2 digits after the point',
          },
        ],
      },
      written: [3],
    });
  });
});
