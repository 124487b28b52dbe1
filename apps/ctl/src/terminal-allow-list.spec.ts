import { openWarning, terminalAllowList } from './terminal-allow-list';

describe('terminalAllowList', () => {
  it.each([
    [['10.0.0.0/8'], false, { anyIp: false, ranges: ['10.0.0.0/8'] }],
    [
      ['10.0.0.0/8', '192.0.2.7/32'],
      false,
      { anyIp: false, ranges: ['10.0.0.0/8', '192.0.2.7/32'] },
    ],
    [[], true, { anyIp: true, ranges: [] }],
    [[], false, { anyIp: false, ranges: [] }],
  ])('%j with allow-any %s -> %j', (ranges, allowAny, expected) => {
    expect(terminalAllowList(ranges, allowAny)).toEqual(expected);
  });

  it('refuses --allow-ip together with --allow-any', () => {
    expect(() => terminalAllowList(['10.0.0.0/8'], true)).toThrow(
      'give either --allow-ip or --allow-any, not both',
    );
  });

  it.each([
    [[], false, true],
    [[], true, false],
    [['10.0.0.0/8'], false, false],
  ])('warns for %j with allow-any %s: %s', (ranges, allowAny, warns) => {
    expect(openWarning('T-1', ranges, allowAny) !== null).toBe(warns);
  });
});
