import { parseBasicAuth } from './basic-auth';

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('parseBasicAuth', () => {
  it.each<[string | undefined, { login: string; password: string } | null]>([
    [basic('T-1:secret'), { login: 'T-1', password: 'secret' }],
    [basic('T-1:pa:ss'), { login: 'T-1', password: 'pa:ss' }],
    [basic('T-1:'), { login: 'T-1', password: '' }],
    [`basic  ${Buffer.from('a:b').toString('base64')} `, { login: 'a', password: 'b' }],
    [undefined, null],
    ['', null],
    ['Bearer x', null],
    ['Basic !!!', null],
    [basic(':secret'), null],
    [basic('no-colon'), null],
    [basic('\u0000:\u0000'), null],
    [basic('T-\u00001:secret'), null],
    [basic('T-1\n:secret'), null],
  ])('%p -> %p', (header, expected) => {
    expect(parseBasicAuth(header)).toEqual(expected);
  });
});
