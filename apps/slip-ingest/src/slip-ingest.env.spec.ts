import { loadConfig } from '@gw/platform';
import { SlipIngestEnv } from './slip-ingest.env';

const DEVELOPMENT = { GATEWAY_MODE: 'development' };

describe('SLIP_IMAGE_STORE_URL', () => {
  it('takes a store by address, a host without a dot included', () => {
    const env = loadConfig(SlipIngestEnv, {
      ...DEVELOPMENT,
      SLIP_IMAGE_STORE_URL: 'http://scans:8080/centre/',
    });
    expect(env.SLIP_IMAGE_STORE_URL).toBe('http://scans:8080/centre/');
  });

  it.each(['http://centre:S3cret@scans:8080/', 'https://centre@scans.example/', 'scans:8080'])(
    'refuses %p at boot',
    (value) => {
      expect(() =>
        loadConfig(SlipIngestEnv, { ...DEVELOPMENT, SLIP_IMAGE_STORE_URL: value }),
      ).toThrow('SLIP_IMAGE_STORE_URL must be an http(s) URL, without a user or password in it');
    },
  );
});

describe('SLIP_INGEST_TOPIC', () => {
  it('takes a topic of the volume tests', () => {
    expect(
      loadConfig(SlipIngestEnv, { ...DEVELOPMENT, SLIP_INGEST_TOPIC: 'volume-test.submitted_1' })
        .SLIP_INGEST_TOPIC,
    ).toBe('volume-test.submitted_1');
  });

  it.each(['', 'meter readings'])('refuses %p at boot, naming it', (value) => {
    expect(() => loadConfig(SlipIngestEnv, { ...DEVELOPMENT, SLIP_INGEST_TOPIC: value })).toThrow(
      'SLIP_INGEST_TOPIC must be a Kafka topic name',
    );
  });
});
