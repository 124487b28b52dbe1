import { ipAllowed, parseIpRange } from './ip-allow-list';

describe('parseIpRange', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1/32'],
    [' 10.0.0.0/8 ', '10.0.0.0/8'],
    ['192.168.1.0/024', '192.168.1.0/24'],
    ['::1', '::1/128'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['10.0.0.0/33', null],
    ['2001:db8::/129', null],
    ['10.0.0.0/', null],
    ['10.0.0.0/8/1', null],
    ['10.0.0', null],
    ['host.example', null],
    ['', null],
  ])('%j -> %j', (text, expected) => {
    expect(parseIpRange(text)).toBe(expected);
  });
});

describe('ipAllowed', () => {
  it.each([
    [[], '203.0.113.7', false],
    [[], '127.0.0.1', false],
    [[], undefined, false],
    [['127.0.0.1/32'], '127.0.0.1', true],
    [['127.0.0.1/32'], '::ffff:127.0.0.1', true],
    [['127.0.0.1/32'], '127.0.0.2', false],
    [['10.0.0.0/8'], '10.200.3.4', true],
    [['10.0.0.0/8'], '11.0.0.1', false],
    [['10.0.0.0/8', '192.168.0.0/16'], '192.168.7.7', true],
    [['::1/128'], '::1', true],
    [['::1/128'], '127.0.0.1', false],
    [['2001:db8::/32'], '2001:db8:1::5', true],
    [['10.0.0.0/8'], undefined, false],
    [['10.0.0.0/8'], 'not-an-ip', false],
    [['garbage'], '10.0.0.1', false],
  ])('%j allows %j: %s', (ranges, ip, expected) => {
    expect(ipAllowed(ranges, ip)).toBe(expected);
  });
});
