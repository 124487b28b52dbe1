import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { isElectionInProgress, isStartupElection, kafkaSecurityOptions } from './kafka-client';

describe('kafka-client', () => {
  it.each([
    ['Snappy', CompressionTypes.Snappy],
    ['LZ4', CompressionTypes.LZ4],
    ['ZSTD', CompressionTypes.ZSTD],
  ])('lets every client it builds read %s batches, which kafkajs alone cannot', (_, type) => {
    expect(() => CompressionCodecs[type as keyof typeof CompressionCodecs]()).not.toThrow();
  });
});

describe('isElectionInProgress', () => {
  it.each([
    [
      'a response naming an election',
      {
        message: 'Response Metadata(key: 3, version: 6)',
        error:
          'There is no leader for this topic-partition as we are in the middle of a leadership election',
      },
    ],
    [
      'a produce answered by a former leader',
      {
        message: 'Response Produce(key: 0, version: 7)',
        error: 'This server is not the leader for that topic-partition',
      },
    ],
    [
      'a failed send that kafkajs retries',
      {
        message: 'Failed to send messages: This server is not the leader for that topic-partition',
      },
    ],
    [
      'a group whose coordinator is loading',
      {
        message:
          "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group",
      },
    ],
    [
      'a group coordinator not elected yet',
      {
        message: 'Response GroupCoordinator(key: 10, version: 2)',
        error: 'The group coordinator is not available',
      },
    ],
    ['the restart after such a crash', { message: 'Restarting the consumer in 200ms' }],
    [
      'a topic the broker does not host yet',
      {
        message: 'Response Fetch(key: 1, version: 11)',
        error: 'This server does not host this topic-partition',
      },
    ],
  ])('is true for %s', (_, entry) => {
    expect(isElectionInProgress(entry)).toBe(true);
  });

  it.each([
    ['a broker out of reach', { message: 'Connection error: connect ECONNREFUSED 127.0.0.1:9092' }],
    [
      'a refused request',
      {
        message: 'Response Produce(key: 0, version: 7)',
        error:
          'The request included a message larger than the max message size the server will accept',
      },
    ],
    ['an error that is not text', { message: 'Crash', error: { leader: 'none' } }],
    [
      'a consumer crash of another cause',
      { message: 'Crash: KafkaJSNonRetriableError: Invalid record' },
    ],
  ])('is false for %s', (_, entry) => {
    expect(isElectionInProgress(entry)).toBe(false);
  });
});

describe('isStartupElection', () => {
  const loading = { message: "The coordinator is loading and hence can't process requests" };

  it('is an election within the first minute after the start', () => {
    expect(isStartupElection(1_000, loading, 1_000 + 59_999)).toBe(true);
    expect(isStartupElection(1_000, loading, 1_000 + 60_000)).toBe(false);
  });

  it('is never another error, however early', () => {
    expect(isStartupElection(1_000, { message: 'Invalid record' }, 1_001)).toBe(false);
  });
});

describe('kafkaSecurityOptions', () => {
  it('adds nothing for a plaintext broker', () => {
    expect(kafkaSecurityOptions({ tls: null, sasl: null })).toEqual({});
  });

  it('checks the broker certificate against the given CA and sends the client certificate', () => {
    expect(
      kafkaSecurityOptions({ tls: { ca: 'CA', cert: 'CERT', key: 'KEY' }, sasl: null }),
    ).toEqual({ ssl: { ca: 'CA', cert: 'CERT', key: 'KEY', rejectUnauthorized: true } });
  });

  it.each<['SCRAM-SHA-512' | 'SCRAM-SHA-256', string]>([
    ['SCRAM-SHA-512', 'scram-sha-512'],
    ['SCRAM-SHA-256', 'scram-sha-256'],
  ])('names %s as kafkajs does', (mechanism, expected) => {
    expect(
      kafkaSecurityOptions({ tls: {}, sasl: { mechanism, username: 'u', password: 'p' } }),
    ).toEqual({
      ssl: { rejectUnauthorized: true },
      sasl: { mechanism: expected, username: 'u', password: 'p' },
    });
  });
});
