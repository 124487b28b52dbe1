import { repeatedJsonName } from './repeated-json-name';

describe('repeatedJsonName', () => {
  it.each<[string, string, string | null]>([
    ['no object', '[1,"a",null]', null],
    ['an empty object', '{}', null],
    ['distinct names', '{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}', null],
    ['a name inside a value', '{"a":"\\"a\\"","b":"a\\\\"}', null],
    ['names after an empty object', '{"a":{},"b":[],"c":1}', null],
    ['a name twice at the top', '{"a":1,"a":2}', 'a'],
    ['a name twice in a nested object', '{"a":[{"b":1}, {"c":1 , "c" : 2}]}', 'c'],
    ['a name twice after a nested object', '{"a":{"b":1},"a":2}', 'a'],
    ['a name twice, once escaped', '{"\\u0061":1,"a":2}', 'a'],
    ['a name with an escaped quote twice', '{"\\"":1,"\\"":2}', '"'],
  ])('%s', (_name, text, repeated) => {
    JSON.parse(text); // the function is only given valid JSON
    expect(repeatedJsonName(text)).toBe(repeated);
  });
});
