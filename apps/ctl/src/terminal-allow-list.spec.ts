import { terminalAllowList } from './terminal-allow-list';

describe('terminalAllowList', () => {
  it.each([
    [['10.0.0.0/8'], false, { anyIp: false, ranges: ['10.0.0.0/8'] }],
    [
      ['10.0.0.0/8', '192.0.2.7/32'],
      false,
      { anyIp: false, ranges: ['10.0.0.0/8', '192.0.2.7/32'] },
    ],
    [[], true, { anyIp: true, ranges: [] }],
  ])('%j with allow-any %s -> %j', (ranges, allowAny, expected) => {
    expect(terminalAllowList(ranges, allowAny)).toEqual(expected);
  });

  it.each([
    [[], false, 'give at least one --allow-ip'],
    [['10.0.0.0/8'], true, 'give either --allow-ip or --allow-any, not both'],
  ])('refuses %j with allow-any %s', (ranges, allowAny, message) => {
    expect(() => terminalAllowList(ranges, allowAny)).toThrow(message);
  });
});
