import { decompress as decompressZstd } from 'fzstd';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { decompress as decompressLz4 } from 'lz4js';
import { uncompress as uncompressSnappy } from 'snappyjs';

/** snappy-java's stream header: this magic, then its version and oldest compatible version. */
const XERIAL_MAGIC = Buffer.from('\x82SNAPPY\x00', 'latin1');
const XERIAL_HEADER_BYTES = XERIAL_MAGIC.length + 8;

/**
 * The raw snappy blocks of a Kafka Snappy batch. Java clients and the broker write snappy-java's
 * stream: its header, then blocks each after its length as a 4-byte big-endian int. Other
 * clients may write one raw block, which never starts with that header's bytes.
 */
export function snappyBlocks(payload: Buffer): Buffer[] {
  if (!payload.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) return [payload];
  if (payload.length < XERIAL_HEADER_BYTES) throw new Error('snappy-java header cut short');
  const blocks: Buffer[] = [];
  let at = XERIAL_HEADER_BYTES;
  while (at < payload.length) {
    const start = at + 4;
    const end = start <= payload.length ? start + payload.readUInt32BE(at) : Infinity;
    if (end > payload.length) throw new Error('snappy-java block cut short');
    blocks.push(payload.subarray(start, end));
    at = end;
  }
  return blocks;
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);

const snappy = (payload: Buffer) =>
  Buffer.concat(snappyBlocks(payload).map((block) => uncompressSnappy(block)));
const lz4 = (payload: Buffer) => asBuffer(decompressLz4(payload));
const zstd = (payload: Buffer) => asBuffer(decompressZstd(payload));

/** A kafkajs codec that reads `name` batches; the gateway produces uncompressed, so only that. */
function decompressing(name: string, decompress: (payload: Buffer) => Buffer) {
  return () => ({
    compress: async () => {
      throw new Error(`${name} compression is not implemented: the gateway produces uncompressed`);
    },
    decompress: async (payload: Buffer) => decompress(payload),
  });
}

/**
 * Teaches kafkajs, which reads only gzip itself, to read batches in every codec Kafka defines:
 * what Java producers commonly write, and what the broker writes for a topic whose
 * `compression.type` names a codec. Without them such a batch crashes the consumer for good.
 */
export function registerCompressionCodecs(): void {
  CompressionCodecs[CompressionTypes.Snappy] = decompressing('Snappy', snappy);
  CompressionCodecs[CompressionTypes.LZ4] = decompressing('LZ4', lz4);
  CompressionCodecs[CompressionTypes.ZSTD] = decompressing('ZSTD', zstd);
}
