import { Logger } from '@nestjs/common';
import { type IHeaders, KafkaJSProtocolError } from 'kafkajs';
import {
  deadLetter,
  ERROR_TEXT_MAX_BYTES,
  errorHeaderText,
  ORIGINAL_OMITTED_HEADER,
  writableHeaders,
} from './dead-letters';
import type { InboundBatch, InboundMessage } from './inbound-batch';
import { type KafkaPublisher, MessageTooLargeError, type OutgoingMessage } from './kafka-publisher';
import { messageBytes } from './message-chunks';

/** A publisher that takes messages of at most `limit` value bytes, and fails everything with `down`. */
function fakePublisher(
  limit: number,
  down?: Error,
  size: (m: OutgoingMessage) => number = (m) => m.value.length,
) {
  const published: OutgoingMessage[] = [];
  const publisher = {
    publish: async (topic: string, messages: OutgoingMessage[]) => {
      if (down) throw down;
      if (messages.some((m) => size(m) > limit))
        throw new MessageTooLargeError(topic, new KafkaJSProtocolError('too large'));
      published.push(...messages);
    },
  } as unknown as KafkaPublisher;
  return { publisher, published };
}

const inbound = (offset: string, value: string): InboundMessage => ({
  key: Buffer.from('5001234567'),
  value: Buffer.from(value),
  headers: { 'x-test': 'kept' },
  offset,
  timestamp: '0',
});

const batch = (...messages: InboundMessage[]): InboundBatch => ({
  topic: 'source',
  partition: 4,
  messages,
});

describe('deadLetter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('sends each letter with the original key, bytes and headers, and where it came from', async () => {
    const { publisher, published } = fakePublisher(100);
    const message = inbound('17', 'not json');
    await deadLetter(publisher, 'dlq', batch(message), [
      { message, error: 'UNDECODABLE', reason: 'value is not valid JSON' },
    ]);
    expect(published).toEqual([
      {
        key: message.key,
        value: message.value,
        headers: {
          'x-test': 'kept',
          'x-error': 'UNDECODABLE',
          'x-error-reason': 'value is not valid JSON',
          'x-original-topic': 'source',
          'x-original-partition': '4',
          'x-original-offset': '17',
        },
      },
    ]);
  });

  it('keeps the original headers byte for byte, a repeated one with every value, under its own', async () => {
    const { publisher, published } = fakePublisher(100);
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]);
    const message = {
      ...inbound('17', 'not json'),
      headers: {
        'x-bin': binary,
        'x-twice': [Buffer.from('first'), Buffer.from('second')],
        'x-error': Buffer.from('sent by the producer'),
      },
    };
    await deadLetter(publisher, 'dlq', batch(message), [
      { message, error: 'UNDECODABLE', reason: 'value is not valid JSON' },
    ]);
    expect(published[0].headers).toEqual({
      'x-bin': binary,
      'x-twice': [Buffer.from('first'), Buffer.from('second')],
      'x-error': 'UNDECODABLE',
      'x-error-reason': 'value is not valid JSON',
      'x-original-topic': 'source',
      'x-original-partition': '4',
      'x-original-offset': '17',
    });
  });

  it('sends a letter too large for its topic without the original, saying why, and the others whole', async () => {
    const { publisher, published } = fakePublisher(100);
    const small = inbound('1', 'small');
    const big = inbound('2', 'x'.repeat(500));
    await deadLetter(
      publisher,
      'dlq',
      batch(small, big),
      [small, big].map((message) => ({ message, error: 'UNDECODABLE', reason: 'not JSON' })),
      { 'x-decided-by': 'group' },
    );
    expect(published.map((m) => m.value.toString())).toEqual(['small', '']);
    const stub = published[1];
    expect(stub.key).toEqual(big.key);
    expect(stub.headers).toEqual({
      'x-error': 'UNDECODABLE',
      'x-error-reason': 'not JSON',
      'x-original-topic': 'source',
      'x-original-partition': '4',
      'x-original-offset': '2',
      'x-decided-by': 'group',
      [ORIGINAL_OMITTED_HEADER]: expect.stringMatching(
        /^the letter of \d+ bytes was too large for dlq/,
      ),
    });
  });

  it('cuts a long error text, so that even the letter without the original fits its topic', async () => {
    // A topic that takes 10,000 bytes a message, headers included.
    const { publisher, published } = fakePublisher(10_000, undefined, messageBytes);
    const message = inbound('9', 'x'.repeat(9_000));
    const error = `invalid input: "${'x'.repeat(2_000_000)}"`;
    await deadLetter(publisher, 'dlq', batch(message), [
      { message, error, reason: 'STORE_FAILED' },
    ]);
    expect(published).toHaveLength(1);
    const header = String(published[0].headers?.['x-error']);
    expect(Buffer.byteLength(header)).toBeLessThanOrEqual(ERROR_TEXT_MAX_BYTES);
    expect(header.startsWith('invalid input: "xxx')).toBe(true);
    expect(published[0].headers?.[ORIGINAL_OMITTED_HEADER]).toMatch(
      /^the letter of \d+ bytes was too large for dlq: its original value and headers are left out/,
    );
  });

  it('sends a letter whose key alone is too large for its topic without the key as well', async () => {
    // A topic that takes 10,000 bytes a message, key and headers included.
    const { publisher, published } = fakePublisher(10_000, undefined, messageBytes);
    const message = { ...inbound('3', 'not json'), key: Buffer.alloc(20_000, 'k') };
    await deadLetter(publisher, 'dlq', batch(message), [
      { message, error: 'UNDECODABLE', reason: 'value is not valid JSON' },
    ]);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ key: null, value: Buffer.alloc(0) });
    expect(published[0].headers).toMatchObject({
      'x-error': 'UNDECODABLE',
      'x-original-offset': '3',
      [ORIGINAL_OMITTED_HEADER]: expect.stringContaining('its original key, value and headers'),
    });
  });

  it('fails on any other error, sending nothing in place of the letter', async () => {
    const down = new Error('connect ECONNREFUSED');
    const { publisher, published } = fakePublisher(100, down);
    const message = inbound('1', 'not json');
    await expect(
      deadLetter(publisher, 'dlq', batch(message), [
        { message, error: 'UNDECODABLE', reason: '-' },
      ]),
    ).rejects.toBe(down);
    expect(published).toEqual([]);
  });
});

describe('errorHeaderText', () => {
  it('keeps a text of up to ERROR_TEXT_MAX_BYTES as it is', () => {
    const text = 'я'.repeat(ERROR_TEXT_MAX_BYTES / 2);
    expect(errorHeaderText(text)).toBe(text);
  });

  it.each([
    ['ASCII', 'x'],
    ['two-byte', 'я'],
    ['three-byte', '€'],
    ['four-byte', '😀'],
  ])('cuts a longer %s text on a character boundary, marked, within the limit', (_, unit) => {
    const text = unit.repeat(ERROR_TEXT_MAX_BYTES + 1);
    const cut = errorHeaderText(text);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(ERROR_TEXT_MAX_BYTES);
    expect(Buffer.byteLength(cut)).toBeGreaterThan(ERROR_TEXT_MAX_BYTES - 8);
    expect(cut.endsWith(' […]')).toBe(true);
    expect(text.startsWith(cut.slice(0, -' […]'.length))).toBe(true);
  });
});

describe('writableHeaders', () => {
  const absent = null as unknown as string;
  /** Headers in the order they were sent, gathered as kafkajs 2.2's record decoder does it. */
  const asKafkajsReads = (sent: [string, string][]): IHeaders =>
    sent.reduce<Record<string, unknown>>(
      (obj, [key, value]) => ({
        ...obj,
        [key]:
          obj[key] === undefined
            ? value
            : Array.isArray(obj[key])
              ? obj[key].concat([value])
              : [obj[key], value],
      }),
      {},
    ) as IHeaders;

  it.each<[string, IHeaders, IHeaders]>([
    [
      'keeps bytes and text as they are',
      { b: Buffer.from([0xff]), t: 'x' },
      { b: Buffer.from([0xff]), t: 'x' },
    ],
    [
      'keeps every value of a repeated header, in order',
      { r: ['1', Buffer.from('2'), '3'] },
      { r: ['1', Buffer.from('2'), '3'] },
    ],
    ['sends a header without a value (null) empty', { n: absent }, { n: Buffer.alloc(0) }],
    [
      'sends a null value of a repeated header empty, in its place',
      { r: ['1', absent] },
      { r: ['1', Buffer.alloc(0)] },
    ],
    [
      'keeps a header named __proto__ as a header',
      JSON.parse('{"__proto__":"x"}') as IHeaders,
      JSON.parse('{"__proto__":"x"}') as IHeaders,
    ],
    [
      'leaves out the Object member kafkajs reads before a header named like one',
      asKafkajsReads([
        ['constructor', 'c'],
        ['toString', '1'],
        ['toString', '2'],
        ['__proto__', 'p'],
        ['h', 'x'],
      ]),
      Object.fromEntries([
        ['constructor', 'c'],
        ['toString', ['1', '2']],
        ['__proto__', 'p'],
        ['h', 'x'],
      ]) as IHeaders,
    ],
  ])('%s', (_, headers, expected) => {
    const written = writableHeaders(headers);
    expect(written).toEqual(expected);
    expect(Object.keys(written)).toEqual(Object.keys(expected));
  });
});
