import type { OutgoingMessage } from './kafka-publisher';
import { chunksUnder, messageBytes } from './message-chunks';

/** Framing counted per record and per header value. */
const RECORD = 64;
const HEADER = 10;

describe('messageBytes', () => {
  it.each<[string, OutgoingMessage, number]>([
    ['an empty message', { key: null, value: '' }, RECORD],
    ['ASCII key and value', { key: 'ab', value: 'cde' }, RECORD + 5],
    ['UTF-8 bytes, not UTF-16 units', { key: 'ж', value: 'счётчик €' }, RECORD + 2 + 18],
    ['a Buffer key and value', { key: Buffer.alloc(3), value: Buffer.alloc(7) }, RECORD + 10],
    [
      'a string header',
      { key: null, value: '', headers: { 'x-error': 'UNDECODABLE' } },
      RECORD + HEADER + 7 + 11,
    ],
    [
      'a Buffer header',
      { key: null, value: '', headers: { 'x-bin': Buffer.from([0xff, 0xfe]) } },
      RECORD + HEADER + 5 + 2,
    ],
    [
      'a header repeated with several values',
      { key: null, value: '', headers: { 'x-twice': ['first', Buffer.from('second')] } },
      RECORD + (HEADER + 7 + 5) + (HEADER + 7 + 6),
    ],
    [
      'a header without a value',
      { key: null, value: '', headers: { 'x-none': undefined } },
      RECORD + HEADER + 6,
    ],
  ])('%s', (_, message, bytes) => {
    expect(messageBytes(message)).toBe(bytes);
  });
});

describe('chunksUnder', () => {
  const sized = (name: string, valueBytes: number, headerBytes = 0): OutgoingMessage => ({
    key: name,
    value: 'v'.repeat(valueBytes),
    headers: headerBytes > 0 ? { pad: 'h'.repeat(headerBytes) } : {},
  });
  const names = (chunks: OutgoingMessage[][]) => chunks.map((c) => c.map((m) => m.key));

  it('keeps messages in order, in as few chunks as fit the limit', () => {
    const messages = ['a', 'b', 'c', 'd', 'e'].map((n) => sized(n, 200));
    expect(names([...chunksUnder(messages, 600)])).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('counts header bytes: two letters with large headers go in separate requests', () => {
    const letters = [sized('a', 10, 600 * 1024), sized('b', 10, 600 * 1024)];
    expect(names([...chunksUnder(letters, 512 * 1024)])).toEqual([['a'], ['b']]);
  });

  it('counts bytes, not characters: Cyrillic text is two bytes a letter', () => {
    const cyrillic = (key: string): OutgoingMessage => ({ key, value: 'ж'.repeat(300) });
    expect(names([...chunksUnder([cyrillic('a'), cyrillic('b')], 1000)])).toEqual([['a'], ['b']]);
  });

  it('sends a message larger than the limit alone, between the chunks around it', () => {
    const messages = [sized('a', 100), sized('big', 5000), sized('b', 100), sized('c', 100)];
    expect(names([...chunksUnder(messages, 1000)])).toEqual([['a'], ['big'], ['b', 'c']]);
  });

  it('yields nothing for no messages', () => {
    expect([...chunksUnder([], 1000)]).toEqual([]);
  });
});
