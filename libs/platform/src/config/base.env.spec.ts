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

  it.each<[string, string[]]>([
    ['', []],
    ['10.0.0.1', ['10.0.0.1']],
    ['10.0.0.0/8, 192.168.1.0/24,fd00::/8', ['10.0.0.0/8', '192.168.1.0/24', 'fd00::/8']],
  ])('reads TRUSTED_PROXIES %p as addresses and CIDRs', (value, expected) => {
    expect(loadConfig(BaseEnv, { TRUSTED_PROXIES: value }).TRUSTED_PROXIES).toEqual(expected);
  });

  it.each(['10.0.0.0/33', 'balancer.local', '10.0.0.1/8/1'])(
    'refuses TRUSTED_PROXIES with %p, naming the variable and not the value',
    (value) => {
      expect(() => loadConfig(BaseEnv, { TRUSTED_PROXIES: value })).toThrow(
        'TRUSTED_PROXIES must be a comma list of IP addresses or CIDR ranges',
      );
    },
  );
});
