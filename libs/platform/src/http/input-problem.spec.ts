import { inputProblem, MAX_INPUT_DEPTH } from './input-problem';

/** `levels` arrays inside each other around `inner`. */
function nested(levels: number, inner: unknown = 1): unknown {
  let value = inner;
  for (let i = 0; i < levels; i += 1) value = [value];
  return value;
}

describe('inputProblem', () => {
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a plain string', 'Иванова'],
    ['an object of strings', { login: 'ivanova', password: 'x' }],
    ['arrays of objects', { items: [{ a: '1' }, { b: ['2', '3'] }] }],
    ['a Buffer with zero bytes', Buffer.from([0, 0, 0])],
    ['the deepest nesting allowed', nested(MAX_INPUT_DEPTH)],
    ['a string with other control characters', 'a\u0001\u001f\u007f'],
  ])('accepts %s', (_name, value) => {
    expect(inputProblem(value, 'body')).toBeNull();
  });

  it.each<[string, unknown, string]>([
    ['U+0000 at the top', 'a\u0000b', 'body must not contain the character U+0000'],
    [
      'U+0000 in a field',
      { login: 'admin\u0000' },
      'body.login must not contain the character U+0000',
    ],
    [
      'U+0000 deep in an array',
      { items: [{ values: ['1', '\u0000'] }] },
      'body.items[0].values[1] must not contain the character U+0000',
    ],
    ['U+0000 in a key', { 'a\u0000': '1' }, 'body must not have a key containing U+0000'],
    [
      'one level too deep',
      nested(MAX_INPUT_DEPTH + 1),
      `is nested deeper than ${MAX_INPUT_DEPTH} levels`,
    ],
    ['objects too deep', JSON.parse('{"a":'.repeat(100) + '1' + '}'.repeat(100)), 'nested deeper'],
  ])('refuses %s', (_name, value, problem) => {
    expect(inputProblem(value, 'body')).toContain(problem);
  });

  it('walks 40,000 levels without overflowing its stack', () => {
    const deep = JSON.parse('['.repeat(40_000) + ']'.repeat(40_000));
    expect(inputProblem(deep, 'body')).toMatch(/^body(\[0\]){32} is nested deeper than 32 levels$/);
  });

  it('names the query or parameter it was given', () => {
    expect(inputProblem({ q: '\u0000' }, 'query')).toBe(
      'query.q must not contain the character U+0000',
    );
  });
});
