import 'reflect-metadata';
import { parseKioskBatch } from './parse-kiosk-batch';

const parse = (body: string | object) =>
  parseKioskBatch(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ seq: i + 1 }));

describe('parseKioskBatch', () => {
  it.each<[string, object, number]>([
    ['one item', { batchId: '77', items: items(1) }, 1],
    ['1000 items', { batchId: '77', items: items(1000) }, 1000],
    [
      'items that are not objects (checked later, one by one)',
      { batchId: 'b', items: [1, 'x'] },
      2,
    ],
    ['a batch id of 128 characters', { batchId: 'b'.repeat(128), items: items(1) }, 1],
  ])('accepts %s', (_name, body, count) => {
    const parsed = parse(body);
    expect(parsed.ok && parsed.value.items).toHaveLength(count);
  });

  it.each<[string, string | object, string]>([
    ['an empty body', '', 'the body is not valid JSON'],
    ['truncated JSON', '{"batchId":"77","items":[', 'the body is not valid JSON'],
    ['form data', 'batchId=77', 'the body is not valid JSON'],
    ['a JSON array', '[]', 'the body must be a JSON object { batchId, items }'],
    ['a JSON string', '"77"', 'the body must be a JSON object { batchId, items }'],
    ['JSON null', 'null', 'the body must be a JSON object { batchId, items }'],
    [
      'no batchId',
      { items: items(1) },
      'batchId must be a string of 1 to 128 printable characters',
    ],
    ['a numeric batchId', { batchId: 77, items: items(1) }, 'batchId must be a string'],
    ['an empty batchId', { batchId: '', items: items(1) }, 'batchId must be a string'],
    [
      'a batchId of 129 characters',
      { batchId: 'b'.repeat(129), items: items(1) },
      'batchId must be',
    ],
    ['a batchId with a newline', { batchId: 'a\nb', items: items(1) }, 'batchId must be'],
    ['no items', { batchId: '77' }, 'items must be an array of 1 to 1000 readings'],
    ['items as an object', { batchId: '77', items: { seq: 1 } }, 'items must be an array'],
    ['an empty items array', { batchId: '77', items: [] }, 'items must be an array of 1 to 1000'],
    ['1001 items', { batchId: '77', items: items(1001) }, 'items must be an array of 1 to 1000'],
  ])('refuses %s', (_name, body, message) => {
    expect(parse(body)).toEqual({ ok: false, error: expect.stringContaining(message) });
  });

  it('refuses bytes that are not UTF-8, rather than reading them with U+FFFD', () => {
    const body = Buffer.concat([
      Buffer.from('{"batchId":"'),
      Buffer.from([0xc1, 0x31]), // "Б1" in Windows-1251
      Buffer.from('","items":[{"seq":1}]}'),
    ]);
    expect(parseKioskBatch(body)).toEqual({ ok: false, error: 'the body is not UTF-8' });
  });

  it('reads a batch id of 128 characters beyond the Basic Multilingual Plane', () => {
    const parsed = parse({ batchId: '😀'.repeat(128), items: items(1) });
    expect(parsed.ok && parsed.value.batchId).toBe('😀'.repeat(128));
  });

  it('reads a body that is a view into a larger buffer (as it arrives from another thread)', () => {
    const whole = Buffer.from(`xx{"batchId":"77","items":[{"seq":1}]}yy`);
    const parsed = parseKioskBatch(
      new Uint8Array(whole.buffer, whole.byteOffset + 2, whole.length - 4),
    );
    expect(parsed).toEqual({ ok: true, value: expect.objectContaining({ batchId: '77' }) });
  });

  // JSON.parse keeps the last of two members with one name: the readings of the first would be
  // dropped while the batch is answered 202.
  it.each<[string, string, string]>([
    [
      'items given twice',
      '{"batchId":"77","items":[{"seq":1}],"items":[{"seq":2}]}',
      '"items" is given twice in one object',
    ],
    [
      'values given twice in an item',
      '{"batchId":"77","items":[{"seq":1,"values":[{"zone":"T1","value":"5"}],"values":[{"zone":"T2","value":"6"}]}]}',
      '"values" is given twice in one object',
    ],
    [
      'value given twice in a zone value',
      '{"batchId":"77","items":[{"seq":1,"values":[{"zone":"T1","value":"5","value":"6"}]}]}',
      '"value" is given twice in one object',
    ],
    [
      'a name given twice, once escaped',
      '{"batchId":"77","items":[{"seq":1,"s\\u0065q":2}]}',
      '"seq" is given twice in one object',
    ],
  ])('refuses %s rather than keeping the last', (_name, body, error) => {
    expect(parse(body)).toEqual({ ok: false, error });
  });

  it('reads one name in sibling and nested objects, and in strings', () => {
    const body =
      '{"batchId":"items\\"items","items":[{"seq":1,"values":[{"seq":1}]},{"seq":2,"x":{"seq":3}}]}';
    expect(parse(body)).toEqual({
      ok: true,
      value: expect.objectContaining({ batchId: 'items"items' }),
    });
  });

  it('names every envelope problem at once', () => {
    expect(parse({})).toEqual({
      ok: false,
      error:
        'batchId must be a string of 1 to 128 printable characters; items must be an array of 1 to 1000 readings',
    });
  });
});
