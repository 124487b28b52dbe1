import type { TerminalAllowList } from '@gw/persistence';
import { callerAllowed } from './terminal-authenticator';

describe('callerAllowed', () => {
  const listed: TerminalAllowList = { anyIp: false, ranges: ['10.1.0.0/16'] };
  const anyIp: TerminalAllowList = { anyIp: true, ranges: [] };
  const noList: TerminalAllowList = { anyIp: false, ranges: [] };
  it.each<[string, TerminalAllowList, string | undefined, boolean, boolean]>([
    ['an address in its ranges', listed, '10.1.2.3', false, true],
    ['an address outside its ranges', listed, '10.2.0.1', false, false],
    ['an address outside its ranges, in development mode', listed, '10.2.0.1', true, false],
    ['no known address', listed, undefined, false, false],
    ['any address with --allow-any', anyIp, '203.0.113.9', false, true],
    ['no list, outside development mode', noList, '127.0.0.1', false, false],
    ['no list, in development mode', noList, '127.0.0.1', true, true],
  ])('%s', (_name, allowList, ip, development, allowed) => {
    expect(callerAllowed(allowList, ip, development)).toBe(allowed);
  });
});
