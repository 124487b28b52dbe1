import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { SlipBatchError } from './slip-batch.errors';
import { readSlipCsv, type SlipCsvItem } from './slip-csv.reader';

const HEADER = 'slip_id;qr_payload;meter_serial;zone;value;confidence;image_ref';
const ROW = (slip: string) => `${slip};ST00012|Name=x;M-1;T1;1,5;0.9;img.png`;

async function read(text: string, chunkBytes = 7): Promise<SlipCsvItem[]> {
  // Small chunks: rows and line breaks fall across chunk borders, as they do on a network.
  const bytes = Buffer.from(text);
  const chunks = [];
  for (let i = 0; i < bytes.length; i += chunkBytes) chunks.push(bytes.subarray(i, i + chunkBytes));
  const items: SlipCsvItem[] = [];
  for await (const item of readSlipCsv(Readable.from(chunks))) items.push(item);
  return items;
}

const rows = (items: SlipCsvItem[]) =>
  items.map((i) => [i.row, i.record ? i.record.slip_id : i.error]);

describe('readSlipCsv: rows and their line numbers', () => {
  it('reads the fields of each row by the header', async () => {
    expect(await read(`${HEADER}\n${ROW('S-1')}\n`)).toEqual([
      {
        row: 2,
        error: null,
        record: {
          slip_id: 'S-1',
          qr_payload: 'ST00012|Name=x',
          meter_serial: 'M-1',
          zone: 'T1',
          value: '1,5',
          confidence: '0.9',
          image_ref: 'img.png',
        },
      },
    ]);
  });

  it.each<[string, string, (string | number | null)[][]]>([
    [
      'LF',
      `${HEADER}\n${ROW('S-1')}\n${ROW('S-2')}\n`,
      [
        [2, 'S-1'],
        [3, 'S-2'],
      ],
    ],
    [
      'CRLF',
      `${HEADER}\r\n${ROW('S-1')}\r\n${ROW('S-2')}\r\n`,
      [
        [2, 'S-1'],
        [3, 'S-2'],
      ],
    ],
    [
      'no line break at the end',
      `${HEADER}\n${ROW('S-1')}\n${ROW('S-2')}`,
      [
        [2, 'S-1'],
        [3, 'S-2'],
      ],
    ],
    [
      'CR',
      `${HEADER}\r${ROW('S-1')}\r${ROW('S-2')}\r`,
      [
        [2, 'S-1'],
        [3, 'S-2'],
      ],
    ],
    [
      'a CRLF header, LF rows',
      `${HEADER}\r\n${ROW('S-1')}\n${ROW('S-2')}\n${ROW('S-3')}\r\n`,
      [
        [2, 'S-1'],
        [3, 'S-2'],
        [4, 'S-3'],
      ],
    ],
    [
      'an LF header, CRLF rows',
      `${HEADER}\n${ROW('S-1')}\r\n${ROW('S-2')}\r\n${ROW('S-3')}\r\n`,
      [
        [2, 'S-1'],
        [3, 'S-2'],
        [4, 'S-3'],
      ],
    ],
    [
      'an LF header, CR rows',
      `${HEADER}\n${ROW('S-1')}\r${ROW('S-2')}\r${ROW('S-3')}\r`,
      [
        [2, 'S-1'],
        [3, 'S-2'],
        [4, 'S-3'],
      ],
    ],
    [
      'line endings alternating',
      `${HEADER}\r\n${ROW('S-1')}\n${ROW('S-2')}\r${ROW('S-3')}\r\n${ROW('S-4')}\n${ROW('S-5')}`,
      [
        [2, 'S-1'],
        [3, 'S-2'],
        [4, 'S-3'],
        [5, 'S-4'],
        [6, 'S-5'],
      ],
    ],
    [
      'empty lines ending in CRLF, LF and CR',
      `\r\n\n${HEADER}\r\n\n${ROW('S-1')}\n\r\n\n\r${ROW('S-2')}\r\n`,
      [
        [5, 'S-1'],
        [9, 'S-2'],
      ],
    ],
    ['a BOM', `\uFEFF${HEADER}\n${ROW('S-1')}\n`, [[2, 'S-1']]],
    [
      'empty lines between rows',
      `${HEADER}\n\n${ROW('S-1')}\n\n\n${ROW('S-2')}\n`,
      [
        [3, 'S-1'],
        [6, 'S-2'],
      ],
    ],
    [
      'empty CRLF lines',
      `${HEADER}\r\n\r\n${ROW('S-1')}\r\n\r\n${ROW('S-2')}\r\n`,
      [
        [3, 'S-1'],
        [5, 'S-2'],
      ],
    ],
    ['empty lines before the header', `\n\n${HEADER}\n${ROW('S-1')}\n`, [[4, 'S-1']]],
    ['the header only', `${HEADER}\n`, []],
    [
      'header names in another case, with spaces',
      `${HEADER.toUpperCase().replace(/;/g, ' ; ')}\n${ROW('S-1')}\n`,
      [[2, 'S-1']],
    ],
    ['an unknown column, read past', `${HEADER};note\n${ROW('S-1')};hello\n`, [[2, 'S-1']]],
    [
      'no image_ref column',
      `${HEADER.replace(';image_ref', '')}\n${ROW('S-1').replace(';img.png', '')}\n`,
      [[2, 'S-1']],
    ],
    [
      'a quoted field with doubled quotes',
      `${HEADER}\n"S-1";"ST00012|Name=ООО ""Дом""";M;T1;1;1;\n`,
      [[2, 'S-1']],
    ],
    [
      'quotes inside an unquoted field',
      `${HEADER}\nS-1;ST00012|Name=ООО "Дом";M;T1;1;1;\n`,
      [[2, 'S-1']],
    ],
  ])('%s', async (_name, text, expected) => {
    expect(rows(await read(text))).toEqual(expected);
  });

  it('reads a CRLF header and LF rows past 16 KiB row by row', async () => {
    const slips = Array.from({ length: 500 }, (_, i) => `S-${i + 1}`);
    const text = `${HEADER}\r\n${slips.map((slip) => `${ROW(slip)}\n`).join('')}`;
    expect(rows(await read(text, 4096))).toEqual(slips.map((slip, i) => [i + 2, slip]));
  });

  it.each([1, 2, 3, 5, 8])('reads mixed line endings in chunks of %i bytes', async (bytes) => {
    const text = `${HEADER}\n${ROW('S-1')}\r\n\r${ROW('S-2')}\r${ROW('S-3')}\r\n`;
    expect(rows(await read(text, bytes))).toEqual([
      [2, 'S-1'],
      [4, 'S-2'],
      [5, 'S-3'],
    ]);
  });

  it('keeps no CR in the last field when the header ends in LF and the rows in CRLF', async () => {
    const items = await read(`${HEADER}\n${ROW('S-1')}\r\n${ROW('S-2')}\r\n`);
    expect(items.map((i) => i.record?.image_ref)).toEqual(['img.png', 'img.png']);
  });

  it('keeps the text of quoted fields', async () => {
    const [item] = await read(`${HEADER}\nS-1;"ST00012|Name=ООО ""Дом"";x";M;T1;1;1;\n`);
    expect(item.record?.qr_payload).toBe('ST00012|Name=ООО "Дом";x');
  });
});

describe('readSlipCsv: malformed lines are reported and reading goes on', () => {
  it.each<[string, string, (string | number | null)[][]]>([
    [
      'too few fields',
      `${HEADER}\nS-1;x;M\n${ROW('S-2')}\n`,
      [
        [2, 'expected 7 fields separated by ";", got 3'],
        [3, 'S-2'],
      ],
    ],
    [
      'too many fields',
      `${HEADER}\n${ROW('S-1')};x\n${ROW('S-2')}\n`,
      [
        [2, 'expected 7 fields separated by ";", got 8'],
        [3, 'S-2'],
      ],
    ],
    [
      'a line of spaces',
      `${HEADER}\n   \n${ROW('S-2')}\n`,
      [
        [2, 'expected 7 fields separated by ";", got 1'],
        [3, 'S-2'],
      ],
    ],
    [
      'a quote that closes on the next line',
      `${HEADER}\nS-1;"x;M;T1;1;1;\ny";M;T1;1;1;\n${ROW('S-3')}\n`,
      [
        [2, 'lines 2 to 3 were read as one row: a quote opened on line 2 is not closed there'],
        [4, 'S-3'],
      ],
    ],
    [
      'a quote that closes two CRLF lines later',
      `${HEADER}\r\nS-1;"x\r\n\r\ny";M;T1;1;1;\r\n${ROW('S-3')}\r\n`,
      [
        [2, 'lines 2 to 4 were read as one row: a quote opened on line 2 is not closed there'],
        [5, 'S-3'],
      ],
    ],
    [
      'a quoted line break in a file of mixed line endings',
      `${HEADER}\r\nS-1;"x\ny";M;T1;1;1;\r\n${ROW('S-2')}\n${ROW('S-3')}\rS-4;"x\r\ny";M;T1;1;1;\n${ROW('S-5')}\r\n`,
      [
        [2, 'lines 2 to 3 were read as one row: a quote opened on line 2 is not closed there'],
        [4, 'S-2'],
        [5, 'S-3'],
        [6, 'lines 6 to 7 were read as one row: a quote opened on line 6 is not closed there'],
        [8, 'S-5'],
      ],
    ],
    [
      'text after a closing quote',
      `${HEADER}\nS-1;"ST00012"x;M;T1;1;1;\n${ROW('S-2')}\n`,
      [
        [2, 'S-1'],
        [3, 'S-2'],
      ],
    ],
  ])('%s', async (_name, text, expected) => {
    expect(rows(await read(text))).toEqual(expected);
  });
});

describe('readSlipCsv: files that cannot be read', () => {
  it.each<[string, string, string]>([
    [
      'an empty file',
      '',
      'the file is empty: it needs the header slip_id;qr_payload;meter_serial;zone;value;confidence;image_ref',
    ],
    [
      'a file of empty lines',
      '\n\n',
      'the file is empty: it needs the header slip_id;qr_payload;meter_serial;zone;value;confidence;image_ref',
    ],
    [
      'a header without confidence',
      'slip_id;qr_payload;meter_serial;zone;value\n',
      'the header lacks column(s) confidence; expected slip_id;qr_payload;meter_serial;zone;value;confidence;image_ref',
    ],
    [
      'a header separated by commas',
      `${HEADER.replace(/;/g, ',')}\n`,
      'the header lacks column(s) slip_id, qr_payload, meter_serial, zone, value, confidence (columns are separated by ";"); expected slip_id;qr_payload;meter_serial;zone;value;confidence;image_ref',
    ],
    ['a column named twice', `${HEADER};value\n`, 'the header names column "value" twice'],
    [
      'an unknown column named twice, with a control character',
      `${HEADER};x\u0000;X\u0000\n`,
      'the header names column "x\\u0000" twice',
    ],
    [
      'a quote never closed',
      `${HEADER}\n${ROW('S-1')}\nS-2;"x;M;T1;1;1;\n${ROW('S-3')}\n`,
      'a quote opened on or after line 3 is never closed, so the rest of the file cannot be read',
    ],
    [
      'a row running past 16 KiB',
      `${HEADER}\nS-1;"${'x'.repeat(20_000)}\n`,
      'the row from line 2 on runs past 16384 bytes: a quote opened there is probably never closed',
    ],
    [
      'an unquoted row longer than 16 KiB, with a quote as text inside',
      `${HEADER}\n${ROW('S-1')}\n\nS-2;ST00012|Name=ООО "${'x'.repeat(20_000)}\n${ROW('S-3')}\n`,
      'line 4 is longer than 16384 bytes, the most a row may have, so the rest of the file cannot be read',
    ],
  ])('%s', async (_name, text, message) => {
    const failure = read(text, 4096);
    await expect(failure).rejects.toBeInstanceOf(SlipBatchError);
    await expect(failure).rejects.toMatchObject({ code: 'SLIP_FILE_INVALID', message });
  });

  it('ends with UPLOAD_INTERRUPTED when the source breaks off', async () => {
    const source = new Readable({ read() {} });
    source.push(`${HEADER}\n${ROW('S-1')}\nS-2;`);
    const items: SlipCsvItem[] = [];
    const reading = (async () => {
      for await (const item of readSlipCsv(source)) {
        items.push(item);
        source.destroy();
      }
    })();
    await expect(reading).rejects.toMatchObject({ code: 'UPLOAD_INTERRUPTED' });
    expect(rows(items)).toEqual([[2, 'S-1']]);
  });

  it.each<[string, (source: Readable) => void, string]>([
    [
      'broken by an error',
      (s) => s.destroy(new Error('Unexpected end of form')),
      'UPLOAD_INTERRUPTED',
    ],
    ['closed early', (s) => s.destroy(), 'UPLOAD_INTERRUPTED'],
    [
      'refused by the form reader',
      (s) => s.destroy(new SlipBatchError('SLIP_FILE_INVALID', 'multipart body: bad')),
      'SLIP_FILE_INVALID',
    ],
  ])('ends with %s when the source broke before reading began', async (_name, breakIt, code) => {
    const source = new Readable({ read() {} });
    source.on('error', () => undefined);
    source.push(`${HEADER}\n`);
    breakIt(source);
    await new Promise((resolve) => setImmediate(resolve));
    const reading = (async () => {
      for await (const item of readSlipCsv(source)) expect(item).toBeUndefined();
    })();
    await expect(reading).rejects.toMatchObject({ code });
  });

  it('drains the source when the caller stops early, so an answer can still be sent', async () => {
    const source = Readable.from(
      Array.from({ length: 1000 }, (_, i) => `${i === 0 ? HEADER : ROW(`S-${i}`)}\n`),
    );
    for await (const item of readSlipCsv(source)) {
      expect(item.row).toBe(2);
      break;
    }
    await finished(source);
    expect(source.readableEnded).toBe(true);
  });
});
