import { type ICustomPartitioner, Partitioners } from 'kafkajs';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * Kafka's murmur2 of a key (the Java client's `Utils.murmur2`), in 32-bit integer arithmetic.
 * kafkajs' own computes it on BigInts it never cuts back to 64 bits, so its time grows with the
 * square of the key's length: a dead letter keeps the original key, and a record with a key of a
 * few hundred KB held the event loop for minutes while the producer picked its partition.
 */
export function murmur2(key: Buffer): number {
  const length = key.length;
  let h = SEED ^ length;
  const length4 = length & ~3;
  for (let i = 0; i < length4; i += 4) {
    let k = key[i] | (key[i + 1] << 8) | (key[i + 2] << 16) | (key[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The last one to three bytes, as the Java client's switch falls through its cases.
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= key[length4 + 2] << 16;
    if (rest >= 2) h ^= key[length4 + 1] << 8;
    h ^= key[length4];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

/**
 * kafkajs' default partitioner (the Java client's: a given partition, else the key's murmur2,
 * else round robin), with a key hashed in time linear in its length. It picks the same partition
 * for every key, so a keyed message lands where other producers put that key.
 */
export const keyPartitioner: ICustomPartitioner = () => {
  const otherwise = Partitioners.DefaultPartitioner();
  return (args) => {
    const { message, partitionMetadata } = args;
    if (message.partition != null || message.key == null) return otherwise(args);
    const key = Buffer.isBuffer(message.key) ? message.key : Buffer.from(String(message.key));
    return (murmur2(key) & 0x7fffffff) % partitionMetadata.length;
  };
};
