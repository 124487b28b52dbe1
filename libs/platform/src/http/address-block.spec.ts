import { addressBlock } from './address-block';

describe('addressBlock', () => {
  it.each([
    ['an IPv4 address', '203.0.113.50', '203.0.113.50'],
    ['an IPv4-mapped IPv6 address', '::ffff:203.0.113.50', '203.0.113.50'],
    ['an IPv4-mapped address in capitals', '::FFFF:203.0.113.50', '203.0.113.50'],
    ['a full IPv6 address', '2001:0db8:0001:0002:0003:0004:0005:0006', '2001:db8:1:2::/64'],
    ['a compressed IPv6 address', '2001:db8:1:2::7', '2001:db8:1:2::/64'],
    ['capitals', '2001:DB8:1:2::7', '2001:db8:1:2::/64'],
    ['zeros compressed inside the prefix', '2001:db8::1', '2001:db8:0:0::/64'],
    ['zeros compressed across the prefix', '2001:db8:1::2:0:0:1', '2001:db8:1:0::/64'],
    ['the loopback', '::1', '0:0:0:0::/64'],
    ['a zone id', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['a trailing dotted part', '64:ff9b::198.51.100.7', '64:ff9b:0:0::/64'],
    ['nothing', '', ''],
    ['a malformed address', '2001:db8:::1', '2001:db8:::1'],
  ])('counts %s under its block', (_, ip, block) => {
    expect(addressBlock(ip)).toBe(block);
  });

  it('counts every address of one /64 together and another /64 apart', () => {
    const blocks = [
      '2001:db8:1:2::1',
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:db8:1:2:0:0:0:0',
    ].map(addressBlock);
    expect(new Set(blocks)).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(addressBlock('2001:db8:1:3::1')).not.toBe(blocks[0]);
  });
});
