import 'reflect-metadata';
import { BaseEnv, CommaList } from './base.env';
import { ConfigError, loadConfig } from './load-config';

class ListEnv {
  @CommaList()
  ORIGINS: string[] = [];
}

describe('CommaList', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['https://a.example', ['https://a.example']],
    [' https://a.example , https://b.example,, ', ['https://a.example', 'https://b.example']],
  ])('reads %p as %p', (value, expected) => {
    expect(loadConfig(ListEnv, value === undefined ? {} : { ORIGINS: value }).ORIGINS).toEqual(
      expected,
    );
  });
});

describe('BaseEnv', () => {
  it('reads KAFKA_BROKERS as a comma list of host:port', () => {
    expect(loadConfig(BaseEnv, { KAFKA_BROKERS: 'k1:9092, k2:9093' }).KAFKA_BROKERS).toEqual([
      'k1:9092',
      'k2:9093',
    ]);
  });

  it('names a broker that is not host:port', () => {
    expect(() => loadConfig(BaseEnv, { KAFKA_BROKERS: 'k1:9092,k2' })).toThrow(ConfigError);
    expect(() => loadConfig(BaseEnv, { KAFKA_BROKERS: 'k1:9092,k2' })).toThrow(
      'KAFKA_BROKERS must be a comma list of host:port',
    );
  });
});
