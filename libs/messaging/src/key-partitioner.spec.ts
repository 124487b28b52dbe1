import { randomBytes } from 'node:crypto';
import { type PartitionerArgs, Partitioners } from 'kafkajs';
import { keyPartitioner, murmur2 } from './key-partitioner';

/** A topic of `count` partitions, every one with a leader. */
const partitions = (count: number): PartitionerArgs['partitionMetadata'] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));

const args = (key: string | Buffer | null, count: number, partition?: number): PartitionerArgs => ({
  topic: 'meter-readings.submitted.v1',
  partitionMetadata: partitions(count),
  message: { key, value: '', partition },
});

describe('murmur2', () => {
  it.each([
    // The Java client's test vectors (Kafka's UtilsTest.testMurmur2).
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %j as the Java client does', (key, hash) => {
    expect(murmur2(Buffer.from(key))).toBe(hash);
  });

  it("hashes a key of 1 MiB within 2 s (kafkajs' own takes minutes)", () => {
    const started = Date.now();
    murmur2(Buffer.alloc(1024 * 1024, 'k'));
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('keyPartitioner', () => {
  it("picks kafkajs' default partition for keys of every length, text and bytes", () => {
    const ours = keyPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (let length = 0; length < 300; length += 1) {
      const bytes = randomBytes(length);
      for (const key of [bytes, bytes.toString('hex').slice(0, length)]) {
        for (const count of [1, 12, 1000]) {
          expect(ours(args(key, count))).toBe(theirs(args(key, count)));
        }
      }
    }
  });

  it('keeps a given partition, and spreads keyless messages over the partitions', () => {
    const ours = keyPartitioner();
    expect(ours(args('5001234567', 12, 7))).toBe(7);
    const spread = new Set(Array.from({ length: 24 }, () => ours(args(null, 12))));
    expect(spread.size).toBe(12);
  });
});
