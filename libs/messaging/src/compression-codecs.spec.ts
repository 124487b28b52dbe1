import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { compress as compressLz4 } from 'lz4js';
import { compress as compressSnappy } from 'snappyjs';
import { registerCompressionCodecs, snappyBlocks } from './compression-codecs';

const XERIAL_HEADER = Buffer.concat([
  Buffer.from('\x82SNAPPY\x00', 'latin1'),
  Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]),
]);

/** snappy-java's stream of `blocks`, each after its length. */
function xerial(...blocks: Buffer[]): Buffer {
  const framed = blocks.map((block) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(block.length);
    return Buffer.concat([length, block]);
  });
  return Buffer.concat([XERIAL_HEADER, ...framed]);
}

/** A zstd frame holding `content` (at most 255 bytes) as one raw block, without checksum. */
function zstdRawFrame(content: Buffer): Buffer {
  const blockHeader = Buffer.alloc(3);
  blockHeader.writeUIntLE(1 | (content.length << 3), 0, 3);
  return Buffer.concat([
    Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, content.length]),
    blockHeader,
    content,
  ]);
}

describe('snappyBlocks', () => {
  it('takes a payload without the snappy-java header as one raw block', () => {
    const raw = compressSnappy(Buffer.from('one raw block'));
    expect(snappyBlocks(raw)).toEqual([raw]);
  });

  it('splits a snappy-java stream into its blocks', () => {
    const blocks = [Buffer.from('first'), Buffer.from('second block'), Buffer.alloc(0)];
    expect(snappyBlocks(xerial(...blocks))).toEqual(blocks);
  });

  it('finds no block in a snappy-java stream that is only its header', () => {
    expect(snappyBlocks(XERIAL_HEADER)).toEqual([]);
  });

  it.each([
    ['a header cut short', XERIAL_HEADER.subarray(0, 12), 'snappy-java header cut short'],
    ['a length cut short', Buffer.concat([XERIAL_HEADER, Buffer.from([0, 0])]), 'block cut short'],
    ['a block cut short', xerial(Buffer.from('whole')).subarray(0, -1), 'block cut short'],
  ])('refuses %s', (_, payload, error) => {
    expect(() => snappyBlocks(payload)).toThrow(error);
  });
});

describe('registerCompressionCodecs', () => {
  beforeAll(registerCompressionCodecs);

  const records = Buffer.from('records of a batch, '.repeat(12));
  const decompress = (type: CompressionTypes, payload: Uint8Array): Promise<Buffer> =>
    CompressionCodecs[type as keyof typeof CompressionCodecs]().decompress(Buffer.from(payload));

  it.each([
    [
      'a snappy-java stream of several blocks',
      CompressionTypes.Snappy,
      xerial(compressSnappy(records.subarray(0, 100)), compressSnappy(records.subarray(100))),
    ],
    ['one raw snappy block', CompressionTypes.Snappy, compressSnappy(records)],
    ['an LZ4 frame', CompressionTypes.LZ4, compressLz4(records)],
    ['a zstd frame', CompressionTypes.ZSTD, zstdRawFrame(records)],
  ])('reads %s back into a Buffer', async (_, type, payload) => {
    const bytes = await decompress(type, payload);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.equals(records)).toBe(true);
  });

  it.each([
    ['Snappy', CompressionTypes.Snappy],
    ['LZ4', CompressionTypes.LZ4],
    ['ZSTD', CompressionTypes.ZSTD],
  ])('says plainly that %s does not compress', async (name, type) => {
    const codec = CompressionCodecs[type as keyof typeof CompressionCodecs]();
    await expect(codec.compress({ buffer: records })).rejects.toThrow(
      `${name} compression is not implemented: the gateway produces uncompressed`,
    );
  });
});
